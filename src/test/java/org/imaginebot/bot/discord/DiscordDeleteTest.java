package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.discord.ButtonPress;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delete button end to end: the real JDA client and the whole bot against a fake Discord, the
 * real engine on the tiny models. "Gone" means the fake no longer holds the message.
 */
final class DiscordDeleteTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MESSAGE = 4;
  private static final int DEFERRED = 5;
  private static final int DEFERRED_UPDATE = 6;
  private static final int UPDATE = 7;
  private static final int EPHEMERAL = 1 << 6;
  private static final String STRANGER = "1300000000000000301";
  private static final String MODERATOR = "1300000000000000302";

  @TempDir Path dir;

  /** A cacheable request (a typed seed), quick on the tiny models. */
  private static SlashCommand apple() {
    return SlashCommand.of(
        "imagine",
        CommandOption.string("prompt", "a red apple"),
        CommandOption.string("strategy", "search"),
        CommandOption.integer("steps", 2),
        CommandOption.integer("seed", 5));
  }

  @Test
  void requester_deletesTheReply_aStrangerIsRefused_andTheImageStaysCached() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first = h.fake.slashCommand(apple());
      RestCall done = awaitFinalEdit(h, first);
      String deleteId = button(done.json(), "imagine:delete:");
      assertThat(customIds(done.json()))
          .as("Delete is the fifth button: a row's limit")
          .hasSizeLessThanOrEqualTo(5);
      String messageId = h.fake.originalMessage(first).path("id").asText();

      Interaction stranger =
          h.fake.button(ButtonPress.of(deleteId, messageId).withUser(STRANGER, "stranger"));
      RestCall refused = h.fake.awaitCall("POST", stranger.callbackPath(), WAIT);
      assertThat(refused.json().path("type").asInt()).isEqualTo(MESSAGE);
      assertThat(refused.json().path("data").path("flags").asInt() & EPHEMERAL)
          .isEqualTo(EPHEMERAL);
      assertThat(refused.json().path("data").path("content").asText())
          .isEqualTo("Only the person who asked for this image or a moderator can delete it.");
      assertThat(h.fake.message(messageId)).as("still there").isNotNull();

      Interaction owner = h.fake.button(ButtonPress.of(deleteId, messageId));
      assertThat(h.fake.awaitCall("POST", owner.callbackPath(), WAIT).json().path("type").asInt())
          .isEqualTo(DEFERRED_UPDATE);
      h.fake.awaitCall("DELETE", owner.originalPath(), WAIT);
      await().atMost(WAIT).until(() -> h.fake.message(messageId) == null);

      Interaction again = h.fake.slashCommand(apple());
      RestCall cached = h.fake.awaitCall("POST", again.callbackPath(), WAIT);
      assertThat(cached.json().path("type").asInt())
          .as("a plain delete leaves the cache: the image again at once")
          .isEqualTo(MESSAGE);
      assertThat(cached.json().path("data").path("content").asText()).isEqualTo("cached · seed 5");
      assertThat(h.fake.calls("POST", owner.followupPath()))
          .as("no purge offer for a member")
          .isEmpty();
    }
  }

  @Test
  void moderator_deletesSomeoneElsesReply_thenPurgesItsImage_soTheSameRequestRunsAgain()
      throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first = h.fake.slashCommand(apple());
      String deleteId = button(awaitFinalEdit(h, first).json(), "imagine:delete:");
      String messageId = h.fake.originalMessage(first).path("id").asText();

      Interaction moderator =
          h.fake.button(
              ButtonPress.of(deleteId, messageId)
                  .withUser(MODERATOR, "moderator")
                  .withPermissions(FakeDiscord.MANAGE_SERVER));
      h.fake.awaitCall("DELETE", moderator.originalPath(), WAIT);
      await().atMost(WAIT).until(() -> h.fake.message(messageId) == null);
      RestCall offer = h.fake.awaitCall("POST", moderator.followupPath(), WAIT);
      assertThat(offer.json().path("flags").asInt() & EPHEMERAL).isEqualTo(EPHEMERAL);
      assertThat(offer.json().path("content").asText())
          .startsWith("Deleted. The image is still in the cache");
      String purgeId = button(offer.json(), "imagine:purge:");
      String offerId =
          await()
              .atMost(WAIT)
              .until(() -> messageWithButton(h.fake, purgeId), Optional::isPresent)
              .get();

      Interaction member =
          h.fake.button(ButtonPress.of(purgeId, offerId).withUser(STRANGER, "stranger"));
      RestCall refused = h.fake.awaitCall("POST", member.callbackPath(), WAIT);
      assertThat(refused.json().path("data").path("content").asText())
          .isEqualTo("Only moderators can remove images from the cache.");
      Interaction purge =
          h.fake.button(
              ButtonPress.of(purgeId, offerId)
                  .withUser(MODERATOR, "moderator")
                  .withPermissions(FakeDiscord.MANAGE_SERVER));
      RestCall purged = h.fake.awaitCall("POST", purge.callbackPath(), WAIT);
      assertThat(purged.json().path("type").asInt()).as("the offer is replaced").isEqualTo(UPDATE);
      assertThat(purged.json().path("data").path("content").asText())
          .startsWith("Removed from the cache");
      assertThat(purged.json().path("data").path("components")).isEmpty();

      Interaction again = h.fake.slashCommand(apple());
      assertThat(h.fake.awaitCall("POST", again.callbackPath(), WAIT).json().path("type").asInt())
          .as("not cached: the engine runs again")
          .isEqualTo(DEFERRED);
      assertThat(field(awaitFinalEdit(h, again).json(), "Time")).isNotEqualTo("cached");
    }
  }

  @Test
  void pressAfterTheInteractionExpired_deletesTheReplyAsAChannelMessage() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first = h.fake.slashCommand(apple());
      String deleteId = button(awaitFinalEdit(h, first).json(), "imagine:delete:");
      String messageId = h.fake.originalMessage(first).path("id").asText();

      h.fake.button(
          ButtonPress.of(deleteId, messageId)
              .withCreatedAt(Instant.now().minus(Duration.ofMinutes(16))));

      h.fake.awaitCall(
          "DELETE", "channels/" + FakeDiscord.CHANNEL_ID + "/messages/" + messageId, WAIT);
      await().atMost(WAIT).until(() -> h.fake.message(messageId) == null);
    }
  }

  private static Optional<String> messageWithButton(FakeDiscord fake, String customId) {
    return fake.messages().stream()
        .filter(m -> customIds(m).contains(customId))
        .map(m -> m.path("id").asText())
        .findFirst();
  }

  private static RestCall awaitFinalEdit(DiscordHarness h, Interaction i) {
    return await("the final edit of " + i)
        .atMost(WAIT)
        .until(
            () ->
                h.fake.calls("PATCH", i.originalPath()).stream()
                    .filter(
                        call ->
                            call.status() == 200
                                && call.json().toString().contains("imagine:reroll:"))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static List<String> customIds(JsonNode message) {
    List<String> ids = new ArrayList<>();
    message.findValues("custom_id").forEach(v -> ids.add(v.asText()));
    return ids;
  }

  private static String button(JsonNode message, String prefix) {
    return customIds(message).stream()
        .filter(id -> id.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " button in " + message));
  }

  private static String field(JsonNode message, String name) {
    for (JsonNode f : message.path("embeds").get(0).path("fields")) {
      if (f.path("name").asText().equals(name)) {
        return f.path("value").asText();
      }
    }
    throw new AssertionError("no field " + name + " in " + message);
  }
}
