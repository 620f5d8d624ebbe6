package org.imaginebot.cluster;

import io.lettuce.core.RedisException;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;
import org.imaginebot.worker.JobEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bot node's side of {@link ClusterEvents}: the events of the jobs this node admitted, from
 * whichever worker runs them, handed to its subscriptions (which pace the chat edits as in one
 * process). Every two seconds it also looks for final events it missed while Redis was away.
 */
public final class EventRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);

  private final Redis redis;
  private final RedisJobQueue queue;
  private final JobEvents target;
  private final ScheduledExecutorService sweeper;

  public EventRelay(Redis redis, RedisJobQueue queue, JobEvents target) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.target = Objects.requireNonNull(target, "target");
    redis.subscribe("events:" + queue.node(), (channel, message) -> deliver(message));
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "event-sweep");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(this::sweep, 2, 2, TimeUnit.SECONDS);
  }

  private void deliver(String message) {
    JobMessages.deliver(
        message,
        new Once(target) {
          @Override
          boolean first(Job job) {
            return queue.admittedHere().remove(job.id()) || !sweptAlready(job.id());
          }
        });
  }

  private void sweep() {
    for (JobId id : queue.admittedHere()) {
      try {
        String ended = redis.commands().get(redis.key("ended:" + id.value()));
        if (ended != null && queue.admittedHere().remove(id)) {
          LOG.info("delivering the end of job {}, whose event this node missed", id);
          swept.add(id);
          JobMessages.deliver(ended, target);
        }
      } catch (RedisException e) {
        return; // Redis away: next round
      } catch (RuntimeException e) {
        LOG.warn("could not deliver the end of job {}", id, e);
      }
    }
  }

  private final java.util.Set<JobId> swept = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private boolean sweptAlready(JobId id) {
    return swept.remove(id);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }

  /** Passes events on, except a final one that the sweep delivered already. */
  private abstract static class Once implements JobEvents {
    private final JobEvents target;

    Once(JobEvents target) {
      this.target = target;
    }

    abstract boolean first(Job job);

    @Override
    public void started(Job job) {
      target.started(job);
    }

    @Override
    public void progress(Job job, org.imaginebot.engine.Progress progress) {
      target.progress(job, progress);
    }

    @Override
    public void finished(Job job, org.imaginebot.cache.CoalescingRunner.Outcome outcome) {
      if (first(job)) {
        target.finished(job, outcome);
      }
    }

    @Override
    public void failed(Job job, JobFailure failure, String message) {
      if (first(job)) {
        target.failed(job, failure, message);
      }
    }

    @Override
    public void cancelled(Job job) {
      if (first(job)) {
        target.cancelled(job);
      }
    }

    @Override
    public void discarded(Job job) {
      target.discarded(job);
    }
  }
}
