package org.imaginebot.queue;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.db.DatabaseFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores again, in the background, job state changes whose write failed (a start, cancel or finish
 * during a database outage), with exponential backoff, logging which job each time. The queue has
 * already moved on in memory; without this a finished job would run again after a restart. Retrying
 * an old change is safe: the store never overwrites a final state.
 */
final class StateRetries {

  private static final Logger LOG = LoggerFactory.getLogger(StateRetries.class);

  private final JobStore store;
  private final Retry retry;
  private final int maxAttempts;
  private ScheduledExecutorService scheduler; // made on the first failure

  StateRetries(JobStore store, Duration firstInterval, int maxAttempts) {
    this.store = store;
    this.maxAttempts = maxAttempts;
    this.retry =
        Retry.of(
            "job-state-writes",
            RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(
                    IntervalFunction.ofExponentialBackoff(
                        firstInterval, 2.0, Duration.ofMinutes(1)))
                .retryOnException(e -> true)
                .build());
  }

  /** Half a second, doubling up to a minute between tries: about ten minutes of outage in all. */
  static StateRetries defaults(JobStore store) {
    return new StateRetries(store, Duration.ofMillis(500), 16);
  }

  /** Retries {@code change}, whose first write failed with {@code failure}; returns at once. */
  void retry(JobWrite.StateChange change, Throwable failure) {
    LOG.warn(
        "job {}: could not store its state {} ({}); retrying in the background",
        change.jobId(),
        change.state(),
        DatabaseFailure.describe(failure));
    AtomicInteger attempt = new AtomicInteger();
    retry
        .executeCompletionStage(
            scheduler(),
            () -> {
              try {
                store.write(List.of(change));
                return CompletableFuture.completedFuture(null);
              } catch (RuntimeException e) {
                LOG.warn(
                    "job {}: storing state {} failed again ({}, try {} of {})",
                    change.jobId(),
                    change.state(),
                    DatabaseFailure.describe(e),
                    attempt.incrementAndGet(),
                    maxAttempts);
                return CompletableFuture.failedFuture(e);
              }
            })
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                LOG.info("job {}: state {} stored after a retry", change.jobId(), change.state());
              } else {
                LOG.error(
                    "job {}: gave up storing its state {} ({}); after a restart the store may show it as {}",
                    change.jobId(),
                    change.state(),
                    DatabaseFailure.describe(error),
                    change.state().isFinal()
                        ? "unfinished, and it runs again"
                        : "in its older state");
              }
            });
  }

  private synchronized ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "job-state-retries");
                t.setDaemon(true);
                return t;
              });
    }
    return scheduler;
  }
}
