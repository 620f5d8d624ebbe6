package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delete button end to end: the real Bolt app, wired by {@code BotApplication} with the real
 * engine on the tiny models, driven by signed button presses against a fake Slack that keeps the
 * messages and files until they are deleted.
 */
final class SlackDeleteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String OWNER = "U0OWNER";
  private static final String STRANGER = "U0STRANGER";
  private static final String MODERATOR = "U0MOD";
  private static final String BARN = "a red barn --strategy search --steps 3 --seed 5";

  @TempDir Path dir;

  @Test
  void requester_deletesTheMessageAndItsThreadImage_aStrangerIsRefused_andTheImageStaysCached()
      throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", BARN));
      ApiCall done = awaitFinalUpdate(h.fake, 0);
      String ts = done.param("ts");
      String ref = buttonValue(done, ActionIds.DELETE).orElseThrow();
      String image = fileId(h.fake.sharedFiles().get(0));
      assertThat(h.fake.fileExists(image)).isTrue();

      h.fake.post(h.port, FakeSlack.buttonPress(STRANGER, ActionIds.DELETE, ref, ts));
      ApiCall refusal = awaitEphemeral(h.fake, STRANGER, "Only the person");
      assertThat(refusal.param("text"))
          .isEqualTo("Only the person who asked for this image or a moderator can delete it.");
      assertThat(h.fake.messageExists(FakeSlack.CHANNEL_ID, ts)).as("still there").isTrue();
      assertThat(h.fake.calls("chat.delete")).isEmpty();

      h.fake.post(h.port, FakeSlack.buttonPress(OWNER, ActionIds.DELETE, ref, ts));
      await().atMost(WAIT).until(() -> !h.fake.messageExists(FakeSlack.CHANNEL_ID, ts));
      assertThat(h.fake.fileExists(image)).as("the image in its thread is gone too").isFalse();
      ApiCall deleted = h.fake.calls("chat.delete").get(0);
      assertThat(deleted.param("channel")).isEqualTo(FakeSlack.CHANNEL_ID);
      assertThat(deleted.param("ts")).isEqualTo(ts);

      h.fake.post(h.port, FakeSlack.slashCommand("U0OTHER", "/imagine", BARN));
      ApiCall again = awaitPost(h.fake, 1);
      assertThat(again.param("text"))
          .as("a plain delete leaves the cache: the image again at once")
          .contains("cached", "seed 5");
      assertThat(h.fake.calls("chat.postEphemeral"))
          .as("no purge offer for a member")
          .noneMatch(c -> OWNER.equals(c.param("user")));
    }
  }

  @Test
  void moderator_deletesSomeoneElsesMessage_thenPurgesItsImage_soTheSameRequestRunsAgain()
      throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of("slack.moderators", MODERATOR))) {
      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", BARN));
      ApiCall done = awaitFinalUpdate(h.fake, 0);
      String ts = done.param("ts");
      String ref = buttonValue(done, ActionIds.DELETE).orElseThrow();

      h.fake.post(h.port, FakeSlack.buttonPress(MODERATOR, ActionIds.DELETE, ref, ts));
      await().atMost(WAIT).until(() -> !h.fake.messageExists(FakeSlack.CHANNEL_ID, ts));
      ApiCall offer = awaitEphemeral(h.fake, MODERATOR, "Deleted. The image is still in the cache");
      String purgeRef = buttonValue(offer, ActionIds.PURGE).orElseThrow();
      assertThat(purgeRef).isEqualTo(ref);
      String offerTs = "1700000001.999999"; // an ephemeral message's ts; Slack sends it back

      h.fake.post(h.port, FakeSlack.buttonPress(STRANGER, ActionIds.PURGE, purgeRef, offerTs));
      assertThat(awaitEphemeral(h.fake, STRANGER, "Only moderators").param("text"))
          .isEqualTo("Only moderators can remove images from the cache.");
      h.fake.post(h.port, FakeSlack.buttonPress(MODERATOR, ActionIds.PURGE, purgeRef, offerTs));
      awaitEphemeral(h.fake, MODERATOR, "Removed from the cache");

      h.fake.post(h.port, FakeSlack.slashCommand("U0OTHER", "/imagine", BARN));
      ApiCall again = awaitPost(h.fake, 1);
      assertThat(again.param("text"))
          .as("not cached: the engine runs again")
          .doesNotContain("cached");
      ApiCall remade = awaitFinalUpdate(h.fake, 1);
      assertThat(remade.param("ts")).isEqualTo(again.param("ts"));
      assertThat(remade.param("text")).contains("seed 5").doesNotContain("cached");
    }
  }

  /** The {@code n}th message's final update (counting posts from 0). */
  private static ApiCall awaitFinalUpdate(FakeSlack fake, int n) {
    String ts = awaitPost(fake, n).param("ts");
    return await()
        .atMost(WAIT)
        .until(
            () ->
                fake.calls("chat.update").stream()
                    .filter(
                        u ->
                            u.param("ts").equals(ts)
                                && u.param("text").startsWith("✅")
                                && u.param("fake_answer") == null)
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  /** The {@code n}th {@code chat.postMessage} (from 0). */
  private static ApiCall awaitPost(FakeSlack fake, int n) {
    return await()
        .atMost(WAIT)
        .until(() -> fake.calls("chat.postMessage"), posts -> posts.size() > n)
        .get(n);
  }

  private static ApiCall awaitEphemeral(FakeSlack fake, String user, String start) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                fake.calls("chat.postEphemeral").stream()
                    .filter(c -> user.equals(c.param("user")) && c.param("text").startsWith(start))
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  private static String fileId(ApiCall complete) {
    try {
      return JSON.readTree(complete.param("files")).get(0).path("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> buttonValue(ApiCall call, String actionId) throws IOException {
    if (call.param("blocks") == null) {
      return Optional.empty();
    }
    for (JsonNode block : JSON.readTree(call.param("blocks"))) {
      for (JsonNode element : block.path("elements")) {
        if (actionId.equals(element.path("action_id").asText())) {
          return Optional.of(element.path("value").asText());
        }
      }
    }
    return Optional.empty();
  }
}
