package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class DiscordLoginTest {

  @Test
  void toString_neverShowsTheToken() {
    DiscordLogin login = new DiscordLogin("MTIz.secret-token", "123456789012345678");

    assertThat(login.toString()).doesNotContain("secret-token").contains("123456789012345678");
  }

  @Test
  void guildId_mustBeASnowflake() {
    assertThatThrownBy(() -> new DiscordLogin("t", "my server"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DISCORD_GUILD_ID must be a server id, digits only")
        .hasMessageEndingWith("got: my server");
    assertThat(new DiscordLogin("t", null).guildId()).isNull();
  }
}
