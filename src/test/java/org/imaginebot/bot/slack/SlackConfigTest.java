package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The {@code slack} section as {@code serve} loads it: defaults, environment, and what a bad value
 * says.
 */
final class SlackConfigTest {

  private static final Path APPLICATION_YAML = Path.of("config/application.yaml");

  @Test
  void defaults_areTheDocumentedOnes() {
    SlackConfig slack = ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of()).slack();

    assertThat(slack)
        .isEqualTo(
            new SlackConfig(3000, "https://slack.com/api/", Duration.ofSeconds(3), 45, "none"));
    assertThat(slack.moderatorIds()).isEmpty();
  }

  @Test
  void environment_setsPortAndModerators() {
    SlackConfig slack =
        ConfigLoader.load(
                APPLICATION_YAML,
                Map.of(
                    "IMAGINE_SLACK_PORT",
                    "4000",
                    "IMAGINE_SLACK_MODERATORS",
                    "U012AB3CD, U045EF6GH",
                    "IMAGINE_SLACK_MAX_UPDATES_PER_MINUTE",
                    "20"),
                Map.of())
            .slack();

    assertThat(slack.port()).isEqualTo(4000);
    assertThat(slack.maxUpdatesPerMinute()).isEqualTo(20);
    assertThat(slack.moderatorIds()).isEqualTo(Set.of("U012AB3CD", "U045EF6GH"));
  }

  @Test
  void badValues_sayWhatIsAllowed() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                ConfigLoader.load(
                    APPLICATION_YAML, Map.of(), Map.of("slack.apiUrl", "slack.com/api")))
        .withMessageContaining(
            "slack.apiUrl must be an http(s) URL ending in '/', such as https://slack.com/api/");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("slack.moderators", "@alice")))
        .withMessageContaining("slack.moderators must be 'none' or comma-separated Slack user ids");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () -> ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("slack.port", "70000")))
        .withMessageContaining("slack.port must be from 0 to 65535");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                ConfigLoader.load(
                    APPLICATION_YAML, Map.of(), Map.of("slack.maxUpdatesPerMinute", "0")))
        .withMessageContaining("slack.maxUpdatesPerMinute must be more than 0, such as 45");
  }

  @Test
  void login_withAnAppToken_isSocketMode_andNeedsNoSigningSecret() {
    SlackLogin socket = new SlackLogin(" xoxb-1 ", "", "xapp-1-A1-2-abc");
    SlackLogin http = new SlackLogin("xoxb-1", "secret");

    assertThat(socket.usesSocketMode()).isTrue();
    assertThat(socket.botToken()).isEqualTo("xoxb-1");
    assertThat(socket.signingSecret()).isNull();
    assertThat(http.usesSocketMode()).isFalse();
    assertThat(socket + " " + http)
        .doesNotContain("xoxb-1", "xapp-1-A1-2-abc", "secret")
        .contains("appToken=***", "signingSecret=none");
  }

  @Test
  void login_thatCannotStart_saysWhichSecretIsMissing() {
    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> new SlackLogin("xoxb-1", null, null))
        .withMessageStartingWith(
            "set SLACK_APP_TOKEN (xapp-..., for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP"
                + " mode) besides SLACK_BOT_TOKEN");
    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> SlackLogin.socketMode(" ", "xapp-1-A1-2-abc"))
        .withMessageStartingWith("SLACK_BOT_TOKEN must be set");
    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> SlackLogin.socketMode("xoxb-1", "xoxb-pasted-twice"))
        .withMessageStartingWith("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        .withMessageNotContaining("xoxb-pasted-twice");
  }
}
