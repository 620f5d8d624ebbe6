package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} with Slack's secrets in the environment, through the real command line. */
final class SlackServeTest {

  @TempDir Path dir;

  @Test
  void serve_withSlackSecrets_startsTheSlackApp_andNeverPrintsTheToken() throws Exception {
    try (FakeSlack fake = FakeSlack.start()) {
      Served served =
          serve(
              fake,
              Map.of(
                  "SLACK_BOT_TOKEN",
                  FakeSlack.BOT_TOKEN,
                  "SLACK_SIGNING_SECRET",
                  FakeSlack.SIGNING_SECRET));
      int code = served.code();
      String printed = served.printed();
      assertThat(code).as(printed).isZero();
      assertThat(printed)
          .containsPattern(
              "Slack: app " + FakeSlack.BOT_USER + " listening on port \\d+ at /slack/events")
          .doesNotContain(FakeSlack.BOT_TOKEN)
          .doesNotContain(FakeSlack.SIGNING_SECRET);
      assertThat(fake.calls("auth.test")).isNotEmpty();
    }
  }

  @Test
  void serve_withARefusedSlackToken_saysWhatToDoAndExits3() throws Exception {
    try (FakeSlack fake = FakeSlack.start()) {
      Served served =
          serve(
              fake,
              Map.of(
                  "SLACK_BOT_TOKEN",
                  "xoxb-revoked-token",
                  "SLACK_SIGNING_SECRET",
                  FakeSlack.SIGNING_SECRET));
      int code = served.code();
      String printed = served.printed();
      assertThat(code).as(printed).isEqualTo(ExitCodes.ENVIRONMENT);
      assertThat(printed)
          .contains(
              "error: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token")
          .doesNotContain("xoxb-revoked-token");
    }
  }

  @Test
  void serve_withAnAppToken_runsInSocketMode_withNoSigningSecret_andNeverPrintsTheTokens()
      throws Exception {
    try (FakeSlack fake = FakeSlack.start()) {
      Served served =
          serve(
              fake,
              Map.of(
                  "SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN, "SLACK_APP_TOKEN", FakeSlack.APP_TOKEN));
      int code = served.code();
      String printed = served.printed();
      assertThat(code).as(printed).isZero();
      assertThat(printed)
          .contains("Slack: app " + FakeSlack.BOT_USER + " in Socket Mode (no public endpoint)")
          .doesNotContain("/slack/events")
          .doesNotContain(FakeSlack.BOT_TOKEN)
          .doesNotContain(FakeSlack.APP_TOKEN);
      assertThat(fake.calls("apps.connections.open")).isNotEmpty();
    }
  }

  @Test
  void serve_withARefusedAppToken_saysToCheckIt_andExits3() throws Exception {
    try (FakeSlack fake = FakeSlack.start()) {
      Served served =
          serve(
              fake,
              Map.of(
                  "SLACK_BOT_TOKEN",
                  FakeSlack.BOT_TOKEN,
                  "SLACK_APP_TOKEN",
                  "xapp-1-AFAKE-revoked-app-token"));
      int code = served.code();
      String printed = served.printed();
      assertThat(code).as(printed).isEqualTo(ExitCodes.ENVIRONMENT);
      assertThat(printed)
          .contains("error: Slack refused SLACK_APP_TOKEN (invalid_auth): check SLACK_APP_TOKEN")
          .doesNotContain("xapp-1-AFAKE-revoked-app-token");
    }
  }

  @Test
  void serve_withABotTokenAlone_saysWhatElseToSet() throws Exception {
    try (FakeSlack fake = FakeSlack.start()) {
      Served served = serve(fake, Map.of("SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN));
      int code = served.code();
      String printed = served.printed();
      assertThat(code).as(printed).isEqualTo(ExitCodes.USAGE);
      assertThat(printed)
          .contains(
              "error: set SLACK_APP_TOKEN (xapp-..., for Socket Mode) or SLACK_SIGNING_SECRET")
          .doesNotContain(FakeSlack.BOT_TOKEN);
      assertThat(fake.calls()).isEmpty();
    }
  }

  /** What {@code serve --for PT1S} returned and printed (stdout and stderr together). */
  private record Served(int code, String printed) {}

  private Served serve(FakeSlack fake, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = Main.run(serveArgs(fake), env, stream, stream, false);
    return new Served(code, out.toString(StandardCharsets.UTF_8));
  }

  private String[] serveArgs(FakeSlack fake) {
    return new String[] {
      "serve",
      "--for",
      "PT1S",
      "--set",
      "server.port=0",
      "--set",
      "queue.database=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
      "--set",
      "cache.diskDir=" + dir.resolve("cache"),
      "--set",
      "slack.port=0",
      "--set",
      "slack.apiUrl=" + fake.apiUrl()
    };
  }
}
