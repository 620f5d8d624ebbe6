package org.imaginebot.cluster;

import java.util.Objects;
import org.imaginebot.queue.JobId;
import org.imaginebot.worker.JobRunners;

/**
 * The cluster's workers as a bot node sees them: a cancel is published on {@code cancel}, where
 * every worker listens ({@link #listen}) and stops the run at its next step; concurrency is what
 * the live workers' heartbeats announce.
 */
public final class ClusterRunners implements JobRunners {

  private final Redis redis;
  private final RedisJobQueue queue;

  public ClusterRunners(Redis redis, RedisJobQueue queue) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.queue = Objects.requireNonNull(queue, "queue");
  }

  /** Makes {@code local} (this node's worker) stop the runs that any node cancels. */
  public static void listen(Redis redis, JobRunners local) {
    redis.subscribe("cancel", (channel, id) -> local.cancel(new JobId(id)));
  }

  @Override
  public boolean cancel(JobId id) {
    return redis.publish("cancel", id.value()) > 0;
  }

  @Override
  public int concurrency() {
    return queue.clusterConcurrency();
  }
}
