package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imaginebot.bench.fake.discord.ButtonPress;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.imaginebot.db.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache hit is answered without waiting for the database: the row behind its buttons is written
 * afterwards, and the buttons work meanwhile. The real JDA against the fake Discord, a real
 * PostgreSQL table lock (a long commit or a busy database looks the same to the bot).
 */
final class DiscordCacheHitTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MESSAGE = 4;
  private static final int EPHEMERAL = 1 << 6;

  @TempDir Path dir;

  @Test
  void aCacheHit_isAnsweredWhileItsButtonRowCannotBeWritten_andTheRowLandsAfter() throws Exception {
    try (TestDatabase db = TestDatabase.postgres();
        DiscordHarness h =
            DiscordHarness.start(dir, Map.of("queue.database", db.url()), Clock.systemUTC())) {
      Interaction made = h.fake.slashCommand(imagine("a lighthouse at dusk", "1"));
      awaitFinalEdit(h, made); // the cache has the image, and its row is on its way
      await("the first reply's row")
          .atMost(WAIT)
          .until(() -> db.query("SELECT COUNT(*) FROM action_ref"), n -> n.equals(List.of("1")));

      String infoId;
      try (Connection lock = DriverManager.getConnection(db.url())) {
        // Every write (and read) of action_ref waits for this transaction from now on.
        lock.setAutoCommit(false);
        try (Statement statement = lock.createStatement()) {
          statement.execute("LOCK TABLE action_ref IN ACCESS EXCLUSIVE MODE");
        }
        Interaction hit = h.fake.slashCommand(imagine("a lighthouse at dusk", "2"));

        RestCall reply = h.fake.awaitCall("POST", hit.callbackPath(), WAIT);
        assertThat(reply.json().path("type").asInt()).isEqualTo(MESSAGE);
        assertThat(reply.files()).as("the cached image").hasSize(1);
        infoId = button(reply.json(), "imagine:info:");

        // Pressed at once, while the row is still waiting: answered from memory.
        Interaction press =
            h.fake.button(
                ButtonPress.of(infoId, h.fake.originalMessage(hit).path("id").asText())
                    .withUser(userId("2"), "user2"));
        RestCall info = h.fake.awaitCall("POST", press.callbackPath(), WAIT);
        assertThat(info.json().path("data").path("flags").asInt() & EPHEMERAL).isEqualTo(EPHEMERAL);
        assertThat(info.json().path("data").path("embeds").get(0).toString())
            .contains("a lighthouse at dusk");
        lock.rollback();
      }
      String ref = infoId.substring("imagine:info:".length());
      await("the cache hit's row, written once the table is free")
          .atMost(WAIT)
          .until(
              () -> db.query("SELECT requester_id FROM action_ref WHERE ref = '" + ref + "'"),
              rows -> rows.equals(List.of(userId("2"))));
    }
  }

  private static SlashCommand imagine(String prompt, String user) {
    return SlashCommand.of(
            "imagine",
            CommandOption.string("prompt", prompt),
            CommandOption.string("strategy", "search"),
            CommandOption.integer("steps", 2),
            CommandOption.integer("seed", 7))
        .withUser(userId(user), "user" + user);
  }

  private static String userId(String user) {
    return "1400000000000000" + user;
  }

  private static String button(JsonNode message, String prefix) {
    List<String> ids = new ArrayList<>();
    message.findValues("custom_id").forEach(v -> ids.add(v.asText()));
    return ids.stream().filter(id -> id.startsWith(prefix)).findFirst().orElseThrow();
  }

  private static void awaitFinalEdit(DiscordHarness h, Interaction i) {
    await("the final image of " + i)
        .atMost(WAIT)
        .until(
            () ->
                h.fake.calls("PATCH", i.originalPath()).stream()
                    .anyMatch(
                        call ->
                            call.status() == 200
                                && call.json().toString().contains("imagine:reroll:")));
  }
}
