package org.imaginebot.bot.discord;

import java.time.Duration;

/**
 * The {@code discord} section. The token is not here: it comes only from {@code DISCORD_TOKEN}.
 *
 * @param apiUrl REST base URL ending in {@code /}; another value runs the bot against a local fake
 * @param gatewayUrl gateway WebSocket URL
 * @param minEditInterval least time between two edits of one reply (Discord allows about 5 per 5 s)
 */
public record DiscordConfig(String apiUrl, String gatewayUrl, Duration minEditInterval) {

  public DiscordConfig {
    if (apiUrl == null
        || !(apiUrl.startsWith("http://") || apiUrl.startsWith("https://"))
        || !apiUrl.endsWith("/")) {
      throw new IllegalArgumentException(
          "discord.apiUrl must be an http(s) URL ending in '/', such as https://discord.com/api/v10/, got "
              + apiUrl);
    }
    if (gatewayUrl == null
        || !(gatewayUrl.startsWith("ws://") || gatewayUrl.startsWith("wss://"))) {
      throw new IllegalArgumentException(
          "discord.gatewayUrl must be a ws(s) URL such as wss://gateway.discord.gg/, got "
              + gatewayUrl);
    }
    if (minEditInterval == null
        || minEditInterval.isNegative()
        || minEditInterval.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException(
          "discord.minEditInterval must be a duration from PT0S to PT60S such as PT2.5S, got "
              + minEditInterval);
    }
  }
}
