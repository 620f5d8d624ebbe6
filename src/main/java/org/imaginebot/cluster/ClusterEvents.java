package org.imaginebot.cluster;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.engine.Progress;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.queue.Job;
import org.imaginebot.worker.JobEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's {@link JobEvents} in a cluster: each event is published on the channel {@code
 * events:<node>} of the bot node that admitted the job, which relays it to the chat ({@link
 * EventRelay}). The final event is also kept under {@code ended:<job>} for an hour, so a bot node
 * that was away from Redis when it was published still delivers it.
 */
public final class ClusterEvents implements JobEvents {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);
  private static final long ENDED_TTL_SECONDS = 3600;

  private final Redis redis;
  private final RedisJobQueue queue;
  private final BotMetrics metrics;
  private final Retry finalRetry =
      Retry.of(
          "final-events",
          RetryConfig.custom()
              .maxAttempts(20)
              .intervalFunction(
                  IntervalFunction.ofExponentialBackoff(
                      Duration.ofMillis(500), 2.0, Duration.ofSeconds(15)))
              .retryOnException(e -> e instanceof RedisException)
              .build());
  private final ScheduledExecutorService retries = Daemons.scheduler("final-event-retries");

  public ClusterEvents(Redis redis, RedisJobQueue queue, BotMetrics metrics) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void started(Job job) {
    publish(job, JobMessages.started(job), false);
  }

  @Override
  public void progress(Job job, Progress progress) {
    String origin = queue.origin(job.id()).orElse(queue.node());
    redis.publishAndForget("events:" + origin, JobMessages.progress(job, progress));
  }

  @Override
  public void finished(Job job, Outcome outcome) {
    publish(job, JobMessages.finished(job, outcome), true);
  }

  @Override
  public void failed(Job job, JobFailure failure, String message) {
    publish(job, JobMessages.failed(job, failure, message), true);
  }

  @Override
  public void cancelled(Job job) {
    publish(job, JobMessages.cancelled(job), true);
  }

  @Override
  public void discarded(Job job) {
    queue.forgetOrigin(job.id());
    metrics.duplicateFinish();
  }

  private void publish(Job job, String message, boolean last) {
    String origin = queue.origin(job.id()).orElse(queue.node());
    if (last) {
      queue.forgetOrigin(job.id());
    }
    try {
      send(job, origin, message, last);
    } catch (RedisException e) {
      LOG.warn("cannot tell node {} about job {} ({})", origin, job.id(), Redis.describe(e));
      if (last) { // progress may be lost; the end may not: Redis is retried for about 3 minutes
        finalRetry
            .executeCompletionStage(
                retries,
                () ->
                    CompletableFuture.runAsync(
                        () -> send(job, origin, message, true), Runnable::run))
            .whenComplete(
                (ok, error) -> {
                  if (error == null) {
                    LOG.info(
                        "told node {} how job {} ended, after Redis came back", origin, job.id());
                  } else {
                    LOG.error(
                        "gave up telling node {} how job {} ended ({}); its image is in the cache",
                        origin,
                        job.id(),
                        Redis.describe(error));
                  }
                });
      }
    }
  }

  private void send(Job job, String origin, String message, boolean last) {
    if (last) { // kept for a bot node that misses the message (EventRelay's sweep)
      redis.commands().setex(redis.key("ended:" + job.id().value()), ENDED_TTL_SECONDS, message);
    }
    redis.publish("events:" + origin, message);
  }
}
