package org.imaginebot.queue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/**
 * Measures the in-memory queue's admission speed and its fairness under a flood.
 *
 * <p>One flooding user offers {@code floodJobs} jobs first; then {@code users} other users offer
 * {@code jobsPerUser} each, one job per user per round, in an order shuffled by {@code seed}. Every
 * offer is timed with {@link System#nanoTime()}. The queue is then drained with {@code take()}, and
 * Jain's fairness index is computed over each user's count among the first {@code (users + 1) *
 * jobsPerUser} jobs served (the flooder counts as a user when {@code floodJobs > 0}).
 *
 * <p>The same load first runs once untimed on a throwaway queue, so the figures describe a warmed-up
 * JVM (a long-running bot) rather than the JIT compiling the queue. Single-threaded.
 */
public final class QueueBenchmark {

  private static final String FLOODER = "flooder";

  private QueueBenchmark() {}

  /**
   * The benchmark's figures.
   *
   * @param admissionsPerSec offers admitted per second over all offers
   * @param jainFairness Jain's index of the users' shares, in (0, 1]; 1 is perfectly even
   * @param p99AdmitMicros 99th percentile of one offer's latency, in microseconds
   */
  public record Result(double admissionsPerSec, double jainFairness, double p99AdmitMicros) {

    /** One line of JSON: {@code {"admissions_per_sec":...,"jain_fairness":...,"p99_admit_us":...}}. */
    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"admissions_per_sec\":%.1f,\"jain_fairness\":%.6f,\"p99_admit_us\":%.3f}",
          admissionsPerSec,
          jainFairness,
          p99AdmitMicros);
    }
  }

  /** Runs the benchmark once; see the class comment for the load. */
  public static Result run(int users, int jobsPerUser, int floodJobs, long seed) {
    if (users < 1) {
      throw new IllegalArgumentException("users must be at least 1, got " + users);
    }
    if (jobsPerUser < 1) {
      throw new IllegalArgumentException("jobsPerUser must be at least 1, got " + jobsPerUser);
    }
    if (floodJobs < 0) {
      throw new IllegalArgumentException("floodJobs must not be negative, got " + floodJobs);
    }
    String[] offers = offerOrder(users, jobsPerUser, floodJobs, new Random(seed));
    QueueLimits limits = new QueueLimits(offers.length, Math.max(floodJobs, jobsPerUser));
    GenerationRequest request =
        new GenerationRequest(
            List.of(new WeightedPrompt("a lighthouse in a storm", 1.0)),
            "biggan-deep-128",
            Strategy.ADAM,
            300,
            seed);
    JobQueue warmUp = JobQueue.inMemory(limits, Clock.systemUTC());
    offerAll(warmUp, offers, request, new long[offers.length]);

    JobQueue queue = JobQueue.inMemory(limits, Clock.systemUTC());
    long[] latencies = new long[offers.length];
    long start = System.nanoTime();
    offerAll(queue, offers, request, latencies);
    long elapsed = System.nanoTime() - start;

    int participants = users + (floodJobs > 0 ? 1 : 0);
    int window = Math.min((users + 1) * jobsPerUser, offers.length);
    return new Result(
        offers.length / (elapsed / 1e9),
        jain(servedCounts(queue, window), participants),
        p99Micros(latencies));
  }

  private static void offerAll(
      JobQueue queue, String[] offers, GenerationRequest request, long[] latencies) {
    for (int i = 0; i < offers.length; i++) {
      long t0 = System.nanoTime();
      Admission admission = queue.offer(offers[i], "bench", request);
      latencies[i] = System.nanoTime() - t0;
      if (!(admission instanceof Admitted)) {
        throw new IllegalStateException("benchmark offer refused: " + admission);
      }
    }
  }

  private static String[] offerOrder(int users, int jobsPerUser, int floodJobs, Random random) {
    String[] offers = new String[floodJobs + users * jobsPerUser];
    Arrays.fill(offers, 0, floodJobs, FLOODER);
    List<String> round = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      round.add("user-" + u);
    }
    int i = floodJobs;
    for (int r = 0; r < jobsPerUser; r++) {
      Collections.shuffle(round, random);
      for (String user : round) {
        offers[i++] = user;
      }
    }
    return offers;
  }

  private static Map<String, Integer> servedCounts(JobQueue queue, int window) {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < window; i++) {
      Job job = queue.take().orElseThrow(() -> new IllegalStateException("queue drained early"));
      served.merge(job.userId(), 1, Integer::sum);
    }
    return served;
  }

  /** Jain's index (Σx)² / (n·Σx²); users never served count as zeros. */
  static double jain(Map<String, Integer> served, int participants) {
    double sum = 0;
    double sumSquares = 0;
    for (int x : served.values()) {
      sum += x;
      sumSquares += (double) x * x;
    }
    return sumSquares == 0 ? 0 : sum * sum / (participants * sumSquares);
  }

  private static double p99Micros(long[] latencies) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(0.99 * sorted.length) - 1;
    return sorted[Math.max(index, 0)] / 1_000.0;
  }
}
