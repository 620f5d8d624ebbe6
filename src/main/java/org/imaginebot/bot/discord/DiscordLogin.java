package org.imaginebot.bot.discord;

import java.util.Objects;

/**
 * How the bot logs in to Discord and where it registers its commands.
 *
 * @param token the bot token, from {@code DISCORD_TOKEN}; never logged or shown
 * @param guildId the server to register the commands in at once; null registers them globally
 */
public record DiscordLogin(String token, String guildId) {

  public DiscordLogin {
    Objects.requireNonNull(token, "token");
    if (guildId != null && !guildId.matches("\\d{1,20}")) {
      throw new IllegalArgumentException(
          "DISCORD_GUILD_ID must be a server id, digits only (Discord: "
              + "right-click the server > Copy Server ID, with Developer Mode on), got: "
              + guildId);
    }
  }

  @Override
  public String toString() {
    return "DiscordLogin[token=***, guildId=" + guildId + "]";
  }
}
