package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactions are handled side by side: one whose admission waits on the database does not hold
 * the others. The real JDA against the fake Discord, the real H2 database, a real row lock.
 */
final class DiscordHandlerThreadsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int DEFERRED = 5;
  private static final int MESSAGE = 4;

  @TempDir Path dir;

  @Test
  void anAdmissionWaitingOnTheDatabase_doesNotHoldACacheHitOfAnotherUser() throws Exception {
    // A long lock timeout, so the blocked admission waits for the test rather than failing.
    String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";LOCK_TIMEOUT=30000";
    try (DiscordHarness h =
        DiscordHarness.start(
            dir,
            Map.of("queue.database", url, "limits.dailyImagesPerUser", "50"),
            Clock.systemUTC())) {
      SlashCommand first = imagine("a lighthouse at dusk", 7, "1");
      Interaction made = h.fake.slashCommand(first);
      awaitFinalEdit(h, made); // user 1 has a counted image today, and the cache has it

      Interaction blocked;
      try (Connection lock = DriverManager.getConnection(url)) {
        // The admission of user 1's next job updates this row in its transaction: it now waits.
        lock.setAutoCommit(false);
        try (PreparedStatement select =
            lock.prepareStatement("SELECT used FROM quota_usage WHERE user_id = ? FOR UPDATE")) {
          select.setString(1, userId("1"));
          try (ResultSet row = select.executeQuery()) {
            assertThat(row.next()).as("user 1's count today").isTrue();
          }
        }
        blocked = h.fake.slashCommand(imagine("a lighthouse at dawn", 8, "1"));
        Interaction hit = h.fake.slashCommand(imagine("a lighthouse at dusk", 7, "2"));

        RestCall hitReply = h.fake.awaitCall("POST", hit.callbackPath(), WAIT);
        assertThat(hitReply.json().path("type").asInt()).isEqualTo(MESSAGE);
        assertThat(hitReply.files()).as("the cached image").hasSize(1);
        assertThat(h.fake.calls("POST", blocked.callbackPath()))
            .as("user 1's request is still being admitted")
            .isEmpty();
        lock.rollback();
      }
      // Released, the waiting admission goes on: user 1 is answered too.
      RestCall answered = h.fake.awaitCall("POST", blocked.callbackPath(), WAIT);
      assertThat(answered.json().path("type").asInt()).as("deferred: queued").isEqualTo(DEFERRED);
    }
  }

  private static SlashCommand imagine(String prompt, long seed, String user) {
    return SlashCommand.of(
            "imagine",
            CommandOption.string("prompt", prompt),
            CommandOption.string("strategy", "search"),
            CommandOption.integer("steps", 2),
            CommandOption.integer("seed", seed))
        .withUser(userId(user), "user" + user);
  }

  private static String userId(String user) {
    return "1400000000000000" + user;
  }

  private static void awaitFinalEdit(DiscordHarness h, Interaction i) {
    org.awaitility.Awaitility.await("the final image of " + i)
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
