package org.imaginebot.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fairness as ordinary users feel it while one user floods, computed from when each job was
 * admitted and taken, both counted in takes.
 *
 * <p>A job offered when {@code a} jobs had been taken and taken as take number {@code t} (0-based)
 * waited {@code t - a} positions: that many other jobs were taken first. It counts as queued just
 * before each take {@code a..t}. Takers run concurrently with the offer, so {@code a} is read
 * before the offer: waits are never undercounted. The flooder's peak is counted from when each
 * offer returned instead, so it is never overcounted either (it cannot exceed the flooder's cap). A
 * take is <em>contested</em> when, just before it, the flooder and at least one ordinary user both
 * had a job queued; Jain's index is computed over how many contested takes each user got, counting
 * every user who had a job queued at a contested take (zero takes included). A FIFO queue would
 * make ordinary users wait behind the whole flood and give the contested takes to the flooder
 * alone; round-robin keeps waits near the number of users and Jain's index near 1.
 *
 * @param p99WaitNormal 99th percentile of ordinary users' jobs' waits, in positions
 * @param maxWaitNormal longest wait of an ordinary user's job
 * @param maxFirstWaitNormal longest wait of an ordinary user's first job
 * @param flooderPeakQueued most flooder jobs queued at once (just before some take)
 * @param contestedTakes takes made while the flooder and an ordinary user both waited
 * @param jainContested Jain's index over contested takes per user, in (0, 1]; NaN when none was
 *     contested
 */
public record FairnessFigures(
    long p99WaitNormal,
    long maxWaitNormal,
    long maxFirstWaitNormal,
    int flooderPeakQueued,
    int contestedTakes,
    double jainContested) {

  /**
   * One admitted and taken job.
   *
   * @param userId its user
   * @param admittedAt takes made before it was offered (so never later than its real admission)
   * @param admittedBy takes begun when the offer returned (so never earlier than its real
   *     admission)
   * @param takenAt its take's 0-based number
   */
  public record TakenJob(String userId, long admittedAt, long admittedBy, long takenAt) {
    public TakenJob {
      if (admittedAt < 0 || admittedBy < admittedAt || takenAt < admittedAt) {
        throw new IllegalArgumentException(
            "a job is offered, then admitted and taken; got takes "
                + admittedAt
                + ", "
                + admittedBy
                + ", "
                + takenAt);
      }
    }

    /** A job whose offer returned before any other take. */
    public TakenJob(String userId, long admittedAt, long takenAt) {
      this(userId, admittedAt, admittedAt, takenAt);
    }
  }

  /** The figures for {@code jobs}, every one taken, where {@code flooder} is the flooding user. */
  public static FairnessFigures of(List<TakenJob> jobs, String flooder) {
    int takes = jobs.size();
    String[] takers = new String[takes];
    int[] normalQueued = new int[takes + 1];
    int[] flooderQueued = new int[takes + 1];
    int[] flooderSurelyQueued = new int[takes + 1];
    Map<String, Long> firstTake = new HashMap<>();
    Map<String, Long> firstWait = new HashMap<>();
    long[] normalWaits = new long[takes];
    int normals = 0;
    for (TakenJob job : jobs) {
      int t = Math.toIntExact(job.takenAt());
      if (t >= takes || takers[t] != null) {
        throw new IllegalArgumentException(
            "take numbers must be 0.." + (takes - 1) + ", each once; got " + t);
      }
      takers[t] = job.userId();
      int[] queued = job.userId().equals(flooder) ? flooderQueued : normalQueued;
      queued[(int) job.admittedAt()]++;
      queued[t + 1]--;
      if (job.userId().equals(flooder)) {
        flooderSurelyQueued[(int) Math.min(job.admittedBy(), t)]++;
        flooderSurelyQueued[t + 1]--;
      }
      if (!job.userId().equals(flooder)) {
        long wait = job.takenAt() - job.admittedAt();
        normalWaits[normals++] = wait;
        if (job.takenAt() < firstTake.getOrDefault(job.userId(), Long.MAX_VALUE)) {
          firstTake.put(job.userId(), job.takenAt());
          firstWait.put(job.userId(), wait);
        }
      }
    }
    // Prefix sums turn the +1/-1 marks into "queued just before take k"; contested[k] marks takes.
    int[] contestedBefore = new int[takes + 1];
    Map<String, Integer> contestedTakesOf = new HashMap<>();
    int normalNow = 0;
    int flooderNow = 0;
    int flooderSurelyNow = 0;
    int flooderPeak = 0;
    for (int k = 0; k < takes; k++) {
      normalNow += normalQueued[k];
      flooderNow += flooderQueued[k];
      flooderSurelyNow += flooderSurelyQueued[k];
      flooderPeak = Math.max(flooderPeak, flooderSurelyNow);
      boolean contested = normalNow > 0 && flooderNow > 0;
      contestedBefore[k + 1] = contestedBefore[k] + (contested ? 1 : 0);
      if (contested) {
        contestedTakesOf.merge(takers[k], 1, Integer::sum);
      }
    }
    Set<String> contenders = new HashSet<>();
    for (TakenJob job : jobs) {
      if (contestedBefore[(int) job.takenAt() + 1] - contestedBefore[(int) job.admittedAt()] > 0) {
        contenders.add(job.userId());
      }
    }
    long[] waits = Arrays.copyOf(normalWaits, normals);
    return new FairnessFigures(
        percentile99(waits),
        Arrays.stream(waits).max().orElse(0),
        firstWait.values().stream().mapToLong(Long::longValue).max().orElse(0),
        flooderPeak,
        contestedBefore[takes],
        jain(contestedTakesOf, contenders.size()));
  }

  /**
   * Jain's index (Σx)² / (n·Σx²) over {@code participants} users; those missing from the map count
   * as 0.
   */
  static double jain(Map<String, Integer> counts, int participants) {
    double sum = 0;
    double sumSquares = 0;
    for (int x : counts.values()) {
      sum += x;
      sumSquares += (double) x * x;
    }
    return sumSquares == 0 ? Double.NaN : sum * sum / (participants * sumSquares);
  }

  /** Nearest-rank 99th percentile; 0 for no values. */
  static long percentile99(long[] values) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)];
  }
}
