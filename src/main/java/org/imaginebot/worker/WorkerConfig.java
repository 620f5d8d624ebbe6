package org.imaginebot.worker;

import java.time.Duration;

/**
 * The {@code worker} section: how this process runs jobs on its GPU (or CPU).
 *
 * @param gpuConcurrency jobs running at once in this process (the GPU bulkhead), 1..64
 * @param maxJobTime longest a job may run before it is stopped and reported as timed out
 * @param leaseTimeout with the Redis backend: a job whose worker sent no heartbeat for this long is
 *     taken over by another worker (PT1S..PT1H)
 * @param engineNice CPU priority of the threads that run the engine, as a Linux nice value 0..19
 *     (0: the bot's own): higher lets chat work preempt engine work on a shared CPU
 */
public record WorkerConfig(
    int gpuConcurrency, Duration maxJobTime, Duration leaseTimeout, int engineNice) {

  public WorkerConfig {
    if (gpuConcurrency < 1 || gpuConcurrency > 64) {
      throw new IllegalArgumentException(
          "worker.gpuConcurrency must be between 1 and 64, got " + gpuConcurrency);
    }
    if (maxJobTime == null || maxJobTime.isNegative() || maxJobTime.isZero()) {
      throw new IllegalArgumentException(
          "worker.maxJobTime must be a duration above 0 such as PT10M, got "
              + (maxJobTime == null ? "nothing" : maxJobTime));
    }
    if (leaseTimeout == null
        || leaseTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || leaseTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "worker.leaseTimeout must be between PT1S and PT1H such as PT30S, got " + leaseTimeout);
    }
    if (engineNice < 0 || engineNice > 19) {
      throw new IllegalArgumentException(
          "worker.engineNice must be between 0 and 19, got " + engineNice);
    }
  }
}
