package org.imaginebot.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;
import org.imaginebot.worker.JobEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bot node's side of {@link ClusterEvents}: the events of the jobs this node admitted, from
 * whichever worker runs them, handed to its subscriptions (which pace the chat edits as in one
 * process). Every two seconds it also looks for the ends of jobs admitted here whose event it
 * missed while Redis was away ({@code ended:<job>}); each job's end is delivered once.
 */
public final class EventRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
  private static final Duration SWEEP = Duration.ofSeconds(2);

  private final Redis redis;
  private final RedisJobQueue queue;
  private final JobEvents target;
  private final JobEvents once;
  private final Cache<JobId, Boolean> ended =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(2)).build();
  private final ScheduledExecutorService sweeper = Daemons.scheduler("event-sweep");

  public EventRelay(Redis redis, RedisJobQueue queue, JobEvents target) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.target = Objects.requireNonNull(target, "target");
    this.once = new EndsOnce();
    redis.subscribe("events:" + queue.node(), (channel, message) -> deliver(message));
    sweeper.scheduleWithFixedDelay(
        this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void deliver(String message) {
    JobMessages.deliver(message, once);
  }

  private void sweep() {
    for (JobId id : queue.admittedHere()) {
      try {
        String end = redis.commands().get(redis.key("ended:" + id.value()));
        if (end != null && ended.getIfPresent(id) == null) {
          LOG.info("delivering the end of job {}, whose event this node missed", id);
          deliver(end);
        }
      } catch (RedisException e) {
        return; // Redis away: next round
      } catch (RuntimeException e) {
        LOG.warn("could not deliver the end of job {}", id, e);
      }
    }
  }

  /** True the first time the end of {@code job} is seen here. */
  private boolean firstEnd(Job job) {
    queue.admittedHere().remove(job.id());
    return ended.asMap().putIfAbsent(job.id(), Boolean.TRUE) == null;
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }

  /** Passes events on to the target, each job's end only once (pub/sub or the sweep). */
  private final class EndsOnce implements JobEvents {

    @Override
    public void started(Job job) {
      target.started(job);
    }

    @Override
    public void progress(Job job, Progress progress) {
      target.progress(job, progress);
    }

    @Override
    public void finished(Job job, Outcome outcome) {
      if (firstEnd(job)) {
        target.finished(job, outcome);
      }
    }

    @Override
    public void failed(Job job, JobFailure failure, String message) {
      if (firstEnd(job)) {
        target.failed(job, failure, message);
      }
    }

    @Override
    public void cancelled(Job job) {
      if (firstEnd(job)) {
        target.cancelled(job);
      }
    }

    @Override
    public void discarded(Job job) {
      target.discarded(job);
    }
  }
}
