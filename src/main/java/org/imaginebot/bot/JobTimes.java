package org.imaginebot.bot;

import java.time.Duration;

/**
 * How long jobs take lately (per adapter, from the jobs it delivered), for the "~40 s" of a queue
 * position: an exponentially weighted mean of finished jobs' run times, divided by the jobs running
 * at once.
 */
public final class JobTimes {

  private static final double WEIGHT = 0.2;

  private final int concurrency;
  private double meanMillis;

  /**
   * @param initial the guess before any job finished
   * @param concurrency jobs running at once (worker.gpuConcurrency)
   */
  public JobTimes(Duration initial, int concurrency) {
    this.meanMillis = initial.toMillis();
    this.concurrency = Math.max(1, concurrency);
  }

  public synchronized void record(Duration runTime) {
    meanMillis = (1 - WEIGHT) * meanMillis + WEIGHT * runTime.toMillis();
  }

  /** Expected wait of the job at {@code position} (1 = next). */
  public synchronized Duration queueEta(int position) {
    return Duration.ofMillis(Math.round(meanMillis * Math.max(1, position) / concurrency));
  }
}
