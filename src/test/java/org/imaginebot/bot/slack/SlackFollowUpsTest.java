package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.provenance.RunStateChunk;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.testing.FreshImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buttons that go on from an image, end to end through the real Bolt app against the fake Slack
 * with signed requests, on the tiny models: a contact sheet from {@code --grid 4}, Refine, "+N
 * steps" and Edit prompt (a modal), each image checked against the same image made from nothing.
 */
final class SlackFollowUpsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String USER = "U0OWNER";

  @TempDir Path dir;
  @TempDir Path freshCache;

  @Test
  void sheet_refine_continue_reprompt_chain() throws Exception {
    FreshImages fresh = new FreshImages(freshCache);
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      var ack =
          h.fake.post(
              h.port,
              FakeSlack.slashCommand(
                  USER, "/imagine", "a lighthouse --grid 4 --steps 8 --seed 40"));
      assertThat(ack.body()).doesNotContain("ephemeral");

      ApiCall sheet = awaitFinal(h.fake, 0);
      byte[] sheetPng = image(h.fake, sheet);
      assertThat(Provenance.read(sheetPng).orElseThrow().request().grid()).isEqualTo(4);
      assertThat(actionIds(sheet))
          .contains(ActionIds.REFINE + 1, ActionIds.REFINE + 4, ActionIds.VARY_CANDIDATE + 2)
          .doesNotContain(ActionIds.MORE);

      press(h, sheet, ActionIds.REFINE + 3);
      ApiCall refined = awaitFinal(h.fake, 1);
      byte[] refinedPng = image(h.fake, refined);
      assertThat(refined.param("text")).contains("seed 42", "10 steps");
      assertThat(Png.decode(sheetPng).getWidth()).isEqualTo(2 * Png.decode(refinedPng).getWidth());
      assertThat(FreshImages.withoutParent(refinedPng))
          .isEqualTo(fresh.make(FreshImages.adam("a lighthouse", 42, 10)));
      assertThat(texts(refined)).anyMatch(t -> t.startsWith("Refinement of <"));
      assertThat(labels(refined)).contains("+8 steps", "Edit prompt", "Try 4 seeds");

      press(h, refined, ActionIds.MORE);
      ApiCall continued = awaitFinal(h.fake, 2);
      byte[] continuedPng = image(h.fake, continued);
      assertThat(continued.param("text")).contains("18 steps");
      assertThat(FreshImages.withoutParent(continuedPng))
          .isEqualTo(fresh.make(FreshImages.adam("a lighthouse", 42, 18)));
      assertThat(RunStateChunk.read(continuedPng).orElseThrow().step()).isEqualTo(18);

      press(h, continued, ActionIds.REPROMPT);
      ApiCall open =
          await()
              .atMost(WAIT)
              .until(() -> h.fake.calls("views.open").stream().findFirst(), Optional::isPresent)
              .get();
      JsonNode view = JSON.readTree(open.param("view"));
      assertThat(view.path("callback_id").asText()).isEqualTo(RepromptModal.CALLBACK_ID);
      assertThat(view.findValue("initial_value").asText()).isEqualTo("a lighthouse");
      String metadata = view.path("private_metadata").asText();

      JsonNode empty =
          JSON.readTree(
              h.fake
                  .post(
                      h.port,
                      FakeSlack.formSubmission(
                          USER,
                          RepromptModal.CALLBACK_ID,
                          metadata,
                          Map.of(RepromptModal.PROMPT, " | "),
                          Map.of()))
                  .body());
      assertThat(empty.path("response_action").asText()).isEqualTo("errors");
      assertThat(empty.path("errors").path(RepromptModal.PROMPT).asText()).contains("prompt");

      h.fake.post(
          h.port,
          FakeSlack.formSubmission(
              USER,
              RepromptModal.CALLBACK_ID,
              metadata,
              Map.of(RepromptModal.PROMPT, "a red barn"),
              Map.of()));
      ApiCall reprompted = awaitFinal(h.fake, 3);
      byte[] repromptedPng = image(h.fake, reprompted);
      GenerationRequest made = Provenance.read(repromptedPng).orElseThrow().request();
      assertThat(made.describePrompt()).isEqualTo("a red barn");
      assertThat(made.steps()).isEqualTo(26);
      assertThat(made.origin()).isEqualTo(FreshImages.adam("a lighthouse", 42, 18));
      assertThat(texts(reprompted)).anyMatch(t -> t.startsWith("Re-prompt of <"));
      assertThat(FreshImages.withoutParent(repromptedPng))
          .isEqualTo(
              fresh.make(FreshImages.adam("a lighthouse", 42, 18).reprompted(made.prompts(), 8)));
    }
  }

  private static void press(SlackHarness h, ApiCall message, String actionId) throws Exception {
    String value =
        buttons(message).stream()
            .filter(b -> b.path("action_id").asText().equals(actionId))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + actionId + " on " + message))
            .path("value")
            .asText();
    assertThat(
            h.fake
                .post(h.port, FakeSlack.buttonPress(USER, actionId, value, message.param("ts")))
                .statusCode())
        .isEqualTo(200);
  }

  /** The finished update of the {@code n}-th message the bot posted (from 0). */
  private static ApiCall awaitFinal(FakeSlack fake, int n) {
    return await()
        .atMost(WAIT)
        .until(
            () -> {
              List<ApiCall> posts = fake.calls("chat.postMessage");
              if (posts.size() <= n) {
                return Optional.<ApiCall>empty();
              }
              String ts = posts.get(n).param("ts");
              return fake.calls("chat.update").stream()
                  .filter(
                      u ->
                          ts.equals(u.param("ts"))
                              && u.param("text").startsWith("✅")
                              && u.param("fake_answer") == null)
                  .findFirst();
            },
            Optional::isPresent)
        .get();
  }

  /** The PNG uploaded into the message's thread. */
  private static byte[] image(FakeSlack fake, ApiCall message) {
    return fake.sharedFiles().stream()
        .filter(c -> message.param("ts").equals(c.param("thread_ts")))
        .map(fake::uploadedBytes)
        .findFirst()
        .orElseThrow();
  }

  private static List<JsonNode> buttons(ApiCall message) throws Exception {
    List<JsonNode> all = new java.util.ArrayList<>();
    for (JsonNode block : JSON.readTree(message.param("blocks"))) {
      block.path("elements").forEach(all::add);
    }
    return all;
  }

  private static List<String> actionIds(ApiCall message) throws Exception {
    return buttons(message).stream().map(b -> b.path("action_id").asText()).toList();
  }

  private static List<String> labels(ApiCall message) throws Exception {
    return buttons(message).stream().map(b -> b.path("text").path("text").asText()).toList();
  }

  private static List<String> texts(ApiCall message) throws Exception {
    return JSON.readTree(message.param("blocks")).findValuesAsText("text");
  }
}
