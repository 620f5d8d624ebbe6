package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.imaginebot.db.Database;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.QueueLimits;
import org.junit.jupiter.api.Test;

/** Runs the benchmark's load on serve's persistent queue over a real H2 file. */
final class FloodRunTest {

  private static final QueueLoad LOAD = new QueueLoad(10, 2, 400, 8, 1);

  @Test
  void productionCaps_refuseMostOfTheFlood_storeEveryAdmission_andLeaveNothingUnfinished() {
    Path file;
    try (BenchDatabase db = BenchDatabase.h2File();
        Database database = open(db)) {
      file = Path.of(db.url().substring("jdbc:h2:file:".length()) + ".mv.db");
      JobStore store = JobStore.jdbc(database.dataSource());
      JobQueue queue = servesQueue(store);

      FloodRun.Figures figures = FloodRun.run(queue, LOAD, new FloodRun.Caps(3, 3), false);

      assertThat(figures.offers()).isEqualTo(420);
      assertThat(figures.admitted() + figures.refused()).isEqualTo(420);
      assertThat(figures.admitted())
          .isGreaterThanOrEqualTo(20); // every ordinary job fits the cap of 3
      assertThat(figures.refused()).isGreaterThan(300); // the flooder never has more than 3 waiting
      assertThat(figures.fairness().flooderPeakQueued()).isBetween(1, 3);
      assertThat(store.maxSeq())
          .isEqualTo(figures.admitted()); // each admission was stored before offer returned
      assertThat(store.loadUnfinished())
          .isEmpty(); // every job taken and finished, in the store too
      assertThat(Files.exists(file)).isTrue();
    }
    assertThat(Files.exists(file)).isFalse(); // the throwaway database is gone
  }

  @Test
  void raisedFloodCap_ordinaryUsersWaitForTheOtherUsers_notForTheFlood() {
    try (BenchDatabase db = BenchDatabase.h2File();
        Database database = open(db)) {
      JobStore store = JobStore.jdbc(database.dataSource());
      JobQueue queue = servesQueue(store);
      queue.setLimits(new QueueLimits(LOAD.offers(), LOAD.flood()));

      FloodRun.Figures figures =
          FloodRun.run(queue, LOAD, new FloodRun.Caps(3, LOAD.flood()), true);

      assertThat(figures.admitted()).isEqualTo(420);
      assertThat(figures.refused()).isZero();
      // The whole flood was offered first; one consumer cannot keep up with 8 producers (how far
      // behind it falls depends on the scheduler: 194-260 of 400 seen, so the premise asks for
      // 100).
      assertThat(figures.fairness().flooderPeakQueued()).isGreaterThan(100);
      // Behind 100+ flood jobs, an ordinary user's first job waits about one round of the 11 users,
      // its second about two (a few more when takes ran during the offer itself); FIFO would be
      // 100+.
      assertThat(figures.fairness().maxFirstWaitNormal()).isLessThan(40);
      assertThat(figures.fairness().maxWaitNormal()).isLessThan(80);
      assertThat(figures.fairness().jainContested()).isGreaterThan(0.9);
      assertThat(figures.admissionsPerSec()).isPositive();
      assertThat(figures.p99AdmitMicros()).isPositive();
      assertThat(store.loadUnfinished()).isEmpty();
    }
  }

  private static Database open(BenchDatabase db) {
    return Database.open(db.url(), 8, Duration.ofSeconds(1));
  }

  /** The queue as {@code app.BotApplication} builds it for serve. */
  private static JobQueue servesQueue(JobStore store) {
    return JobQueue.persistent(QueueLimits.serving(500), Clock.systemUTC(), store);
  }
}
