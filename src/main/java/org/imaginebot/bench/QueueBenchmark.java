package org.imaginebot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.imaginebot.db.Database;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.QueueConfig;
import org.imaginebot.queue.QueueLimits;

/**
 * {@code bench queue}: the persistent fair queue {@code serve} runs, on a throwaway database, under
 * one user's flood while ordinary users ask for a few images each. The {@link QueueBackend} is the
 * queue of one node ({@code local}: {@code JobQueue.persistent}) or the queue a cluster shares
 * ({@code redis}: {@code RedisJobQueue}, each job stored in the same database, the fair order in
 * Redis); both report the same figures.
 *
 * <p>Two variants, each the median (by admissions per second) of {@code rounds} runs after one
 * untimed warm-up run:
 *
 * <ul>
 *   <li>{@code production}: the queue exactly as {@code app.BotApplication} builds it ({@code
 *       JobQueue.persistent(QueueLimits.serving(..))}, or {@code RedisJobQueue} with the same
 *       caps), every user with the guild's {@code limits.maxQueuedPerUser}; the flood is spread
 *       through the run, and most of it is refused, because no user may have more than that many
 *       jobs waiting.
 *   <li>{@code raised_flood_cap}: the same queue with its caps raised so the flooder may queue the
 *       whole flood, which it offers before anyone else: ordinary users then arrive behind
 *       thousands of the flooder's jobs, which shows what round-robin fairness is worth.
 * </ul>
 *
 * The in-memory queue under the raised variant's load is reported on its own, for comparison.
 */
public final class QueueBenchmark {

  /**
   * What to measure.
   *
   * @param load users, jobs, flood, producer threads, seed
   * @param rounds timed runs per variant (the median is reported)
   * @param queue the {@code queue} section ({@code maxQueued}) {@code serve} would run with
   * @param guildUserCap the {@code limits.maxQueuedPerUser} every guild starts with
   */
  public record Settings(QueueLoad load, int rounds, QueueConfig queue, int guildUserCap) {
    public Settings {
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private QueueBenchmark() {}

  /**
   * Runs both variants of {@code backend}'s queue and the in-memory comparison on {@code database};
   * returns the JSON figures.
   */
  public static ObjectNode run(Settings settings, BenchDatabase database, QueueBackend backend) {
    QueueLoad load = settings.load();
    Clock clock = Clock.systemUTC();
    FloodRun.Caps productionCaps =
        new FloodRun.Caps(settings.guildUserCap(), settings.guildUserCap());
    FloodRun.Caps raisedCaps =
        new FloodRun.Caps(settings.guildUserCap(), Math.max(load.flood(), settings.guildUserCap()));
    QueueLimits servingLimits = QueueLimits.serving(settings.queue().maxQueued());
    QueueLimits raisedLimits =
        new QueueLimits(
            Math.max(settings.queue().maxQueued(), load.offers()),
            Math.max(QueueLimits.SERVE_USER_CEILING, load.flood()));
    List<FloodRun.Figures> production = new ArrayList<>();
    List<FloodRun.Figures> raised = new ArrayList<>();
    List<FloodRun.Figures> inMemory = new ArrayList<>();
    try (Database db =
        Database.open(
            database.url(), settings.queue().poolSize(), settings.queue().connectTimeout())) {
      JobStore store = JobStore.jdbc(db.dataSource());
      // Each run gets a new queue as serve builds it (the raised variant then raises its caps) on
      // the same store; the previous run left it empty.
      // Warm-up: the JIT and the database's caches, as in a bot that has been running a while.
      measure(backend, servingLimits, raisedLimits, clock, store, load, raisedCaps, true);
      FloodRun.run(JobQueue.inMemory(raisedLimits, clock), load, raisedCaps, true);
      for (int r = 0; r < settings.rounds(); r++) {
        production.add(
            measure(
                backend, servingLimits, servingLimits, clock, store, load, productionCaps, false));
        raised.add(
            measure(backend, servingLimits, raisedLimits, clock, store, load, raisedCaps, true));
        inMemory.add(FloodRun.run(JobQueue.inMemory(raisedLimits, clock), load, raisedCaps, true));
      }
    }
    ObjectNode json = JSON.createObjectNode();
    json.put("bench", "queue");
    json.put("database", database.kind());
    json.put("backend", backend.name());
    json.put("producers", load.producers());
    json.put("users", load.users());
    json.put("jobs_per_user", load.jobsPerUser());
    json.put("flood", load.flood());
    json.put("rounds", settings.rounds());
    json.set(
        "production",
        variant(
            median(production),
            settings.queue().maxQueued(),
            QueueLimits.SERVE_USER_CEILING,
            productionCaps));
    json.set(
        "raised_flood_cap",
        variant(
            median(raised), raisedLimits.maxQueued(), raisedLimits.maxQueuedPerUser(), raisedCaps));
    json.put("in_memory_admissions_per_sec", round(median(inMemory).admissionsPerSec(), 1));
    return json;
  }

  /**
   * One run on a new queue of {@code backend} built with {@code serving} (serve's caps), then set
   * to {@code limits}.
   */
  private static FloodRun.Figures measure(
      QueueBackend backend,
      QueueLimits serving,
      QueueLimits limits,
      Clock clock,
      JobStore store,
      QueueLoad load,
      FloodRun.Caps caps,
      boolean floodFirst) {
    try (QueueBackend.Opened opened = backend.open(serving, clock, store)) {
      opened.queue().setLimits(limits);
      return FloodRun.run(opened.queue(), load, caps, floodFirst);
    }
  }

  private static ObjectNode variant(
      FloodRun.Figures f, int maxQueued, int queueUserCap, FloodRun.Caps caps) {
    ObjectNode json = JSON.createObjectNode();
    json.put("max_queued", maxQueued);
    json.put("queue_user_cap", queueUserCap);
    json.put("guild_user_cap", caps.ordinaryUser());
    json.put("flooder_cap", caps.flooder());
    json.put("offers", f.offers());
    json.put("admitted", f.admitted());
    json.put("refused", f.refused());
    json.put("admissions_per_sec", round(f.admissionsPerSec(), 1));
    json.put("p99_admit_us", round(f.p99AdmitMicros(), 1));
    FairnessFigures fair = f.fairness();
    json.put("flooder_peak_queued", fair.flooderPeakQueued());
    json.put("p99_wait_positions_normal_users", fair.p99WaitNormal());
    json.put("max_wait_positions_normal_users", fair.maxWaitNormal());
    json.put("max_first_job_wait_positions_normal_users", fair.maxFirstWaitNormal());
    json.put("contested_takes", fair.contestedTakes());
    if (Double.isNaN(fair.jainContested())) {
      json.putNull("jain_contested_takes");
    } else {
      json.put("jain_contested_takes", round(fair.jainContested(), 4));
    }
    return json;
  }

  private static FloodRun.Figures median(List<FloodRun.Figures> runs) {
    List<FloodRun.Figures> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(FloodRun.Figures::admissionsPerSec));
    return sorted.get(sorted.size() / 2);
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
