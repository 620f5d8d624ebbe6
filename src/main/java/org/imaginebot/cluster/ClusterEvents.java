package org.imaginebot.cluster;

import io.lettuce.core.RedisException;
import java.util.Objects;
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
    publish(job, JobMessages.progress(job, progress), false);
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
    try {
      if (last) {
        redis.commands().setex(redis.key("ended:" + job.id().value()), ENDED_TTL_SECONDS, message);
      }
      redis.publish("events:" + origin, message);
      if (last) {
        queue.forgetOrigin(job.id());
      }
    } catch (RedisException e) {
      // Progress may be lost; a final event is found again under ended:<job> or, failing that,
      // the image is in the cache for the next identical request.
      LOG.warn("cannot tell node {} about job {} ({})", origin, job.id(), Redis.describe(e));
    }
  }
}
