package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code /imagine-prefs} end to end: the real Bolt app and the whole bot, driven by signed slash
 * commands against the fake Slack, the real engine on the tiny models.
 */
final class SlackPrefsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "U0PREFS";

  @TempDir Path dir;

  @Test
  void
      prefs_areSavedAndShown_fillWhatImagineLeavesOut_explicitOptionsWin_badOnesAreRefused_clearWorks()
          throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of("limits.maxSteps", "20"))) {
      String saved = ephemeral(h, "/imagine-prefs", "strategy=search steps=3");

      assertThat(saved)
          .startsWith(
              "Saved. Your defaults in this workspace: model tiny (default), strategy search"
                  + " (yours), 3 steps (yours), one image (default).\nOptions you give with /imagine win over these.")
          .contains("`/imagine-prefs clear` removes them");
      h.fake.post(h.port, FakeSlack.slashCommand(USER, "/imagine", "a red kite"));
      assertThat(awaitDone(h.fake, "a red kite")).contains("3 steps", "search", "model tiny");
      h.fake.post(
          h.port,
          FakeSlack.slashCommand(USER, "/imagine", "a blue kite --steps 2 --strategy adam"));
      assertThat(awaitDone(h.fake, "a blue kite")).contains("2 steps", "adam");

      assertThat(ephemeral(h, "/imagine-prefs", "steps=ten"))
          .isEqualTo("steps needs a whole number, got 'ten'.");
      assertThat(ephemeral(h, "/imagine-prefs", "model=nope"))
          .isEqualTo("There is no model called nope; models: tiny, tiny-stylegan.");
      assertThat(ephemeral(h, "/imagine-prefs", "steps=30"))
          .isEqualTo("steps must be between 1 and 20 here, got 30.");
      assertThat(ephemeral(h, "/imagine-prefs", "size=64"))
          .contains("strategy=&lt;adam|search|auto|evolve&gt;");
      assertThat(ephemeral(h, "/imagine-info", ""))
          .as("nothing changed by the refusals")
          .contains(
              "\nYour defaults in this workspace: model tiny (default), strategy search (yours),"
                  + " 3 steps (yours), one image (default).\n");
      assertThat(ephemeral(h, "/imagine-prefs", "clear"))
          .startsWith(
              "Your defaults are cleared. You have no defaults of your own in this workspace:"
                  + " /imagine uses model tiny, strategy adam, 20 steps, one image.");
      assertThat(h.fake.calls("chat.postMessage")).as("only the two images were posted").hasSize(2);
    }
  }

  @Test
  void prefs_outliveARestart() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      ephemeral(h, "/imagine-prefs", "model=TINY-stylegan steps=2");
    }

    try (SlackHarness restarted = SlackHarness.start(dir, Map.of())) {
      assertThat(ephemeral(restarted, "/imagine-prefs", ""))
          .startsWith(
              "Your defaults in this workspace: model tiny-stylegan (yours), strategy adam"
                  + " (default), 2 steps (yours), one image (default).");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAppManifest_declaresEveryCommandTheBotAnswers() throws Exception {
    try (Reader reader = Files.newBufferedReader(Path.of("config/slack-manifest.yaml"))) {
      Map<String, Object> manifest = new Yaml().load(reader);
      List<Map<String, Object>> commands =
          (List<Map<String, Object>>)
              ((Map<String, Object>) manifest.get("features")).get("slash_commands");

      assertThat(commands)
          .extracting(c -> c.get("command"))
          .containsExactlyInAnyOrder(
              "/imagine", "/imagine-admin", "/imagine-info", "/imagine-prefs");
    }
  }

  /** The text of the command's ephemeral acknowledgement. */
  private static String ephemeral(SlackHarness h, String command, String text) throws Exception {
    HttpResponse<String> ack = h.fake.post(h.port, FakeSlack.slashCommand(USER, command, text));
    assertThat(ack.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(ack.body());
    assertThat(body.path("response_type").asText()).isEqualTo("ephemeral");
    return body.path("text").asText();
  }

  /** The text of the message that shows the finished image for {@code prompt}. */
  private static String awaitDone(FakeSlack fake, String prompt) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                fake.calls("chat.update").stream()
                    .map(u -> u.param("text"))
                    .filter(t -> t.startsWith("✅") && t.contains(prompt))
                    .findFirst(),
            Optional::isPresent)
        .get();
  }
}
