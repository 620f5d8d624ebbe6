package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.imaginebot.bot.CoreFixture.ALICE;
import static org.imaginebot.bot.CoreFixture.randomSeed;

import java.nio.file.Path;
import java.time.Duration;
import org.imaginebot.app.BotApplication;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.limits.Refusal;
import org.imaginebot.limits.RefusalKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core when its database goes away: a request is refused, counted and leaves nothing behind.
 */
final class BotCoreDurabilityTest {

  @TempDir Path dir;

  private CoreFixture fixture(TestDatabase db) {
    return new CoreFixture(dir)
        .set("queue.database", db.url())
        .set("queue.connectTimeout", "PT0.5S");
  }

  @Test
  void databaseGone_requestIsRefusedAsStoreUnavailable_countedAndNothingQueued() {
    TestDatabase db = TestDatabase.h2(dir);
    CoreFixture fixture = fixture(db);
    try (BotApplication core = fixture.start(new ScriptedEngine().gated())) {
      core.settings()
          .get(ALICE.scopeId()); // the guild's settings are known: the job store is what fails
      db.cut();
      RecordingListener listener = new RecordingListener();

      Submission submission =
          core.imagine().submit(ALICE, randomSeed("a lost lighthouse", 1, 1), listener);

      Refusal refusal = ((Submission.Refused) submission).refusal();
      assertThat(refusal.kind()).isEqualTo(RefusalKind.STORE_UNAVAILABLE);
      assertThat(refusal.message())
          .isEqualTo(
              "The bot cannot save jobs right now; nothing was queued \u2014 try again in a minute.");
      assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMinutes(1));
      assertThat(listener.events).isEmpty();
      assertThat(core.queue().snapshot()).isEmpty();
      assertThat(core.queue().running()).isEmpty();
      assertThat(fixture.metrics.scrape())
          .contains("imagine_refusals_total{reason=\"store_unavailable\"} 1.0");
      Database.Health health = core.database().probe();
      assertThat(health.up()).isFalse();
      assertThat(health.detail()).isIn(db.outageCauses());

      db.restore();

      // the pool reconnects with a backoff of its own (at most seconds)
      await().atMost(Duration.ofSeconds(20)).until(() -> core.database().probe().up());
      assertThat(core.database().probe()).isEqualTo(new Database.Health(true, "reachable"));
      assertThat(
              core.imagine()
                  .submit(ALICE, randomSeed("a lighthouse back", 1, 2), new RecordingListener()))
          .isInstanceOf(Submission.Queued.class);
    }
  }

  @Test
  void databaseGone_guildNotSeenYet_isRefusedAsStoreUnavailable() {
    TestDatabase db = TestDatabase.h2(dir);
    try (BotApplication core = fixture(db).start(new ScriptedEngine().gated())) {
      db.cut();

      Submission submission =
          core.imagine()
              .submit(ALICE, randomSeed("a lost lighthouse", 1, 1), new RecordingListener());

      assertThat(submission)
          .isInstanceOfSatisfying(
              Submission.Refused.class,
              r -> {
                assertThat(r.refusal().kind()).isEqualTo(RefusalKind.STORE_UNAVAILABLE);
                assertThat(r.refusal().message())
                    .contains("cannot read this server's settings", "try again in a minute");
              });
      db.restore();
    }
  }

  @Test
  void replyAddressThatCannotBeStored_theJobIsNotStoredEither() {
    TestDatabase db = TestDatabase.h2(dir);
    String longGuild = "g".repeat(100); // fits jobs.scope_id (255), not job_reply.scope_id (64)
    try (BotApplication core = fixture(db).start(new ScriptedEngine().gated())) {
      Submission submission =
          core.imagine()
              .submit(
                  new Requester("alice", longGuild, "chan-1", "discord"),
                  randomSeed("half admitted?", 1, 1),
                  new RecordingListener());

      assertThat(submission)
          .isInstanceOfSatisfying(
              Submission.Refused.class,
              r -> assertThat(r.refusal().kind()).isEqualTo(RefusalKind.STORE_UNAVAILABLE));
      assertThat(core.queue().snapshot()).isEmpty();
    }
    try (BotApplication restarted = fixture(db).open(new ScriptedEngine())) {
      assertThat(restarted.queue().snapshot()).as("no job row without its reply address").isEmpty();
    }
  }
}
