package org.imaginebot.worker;

import org.imaginebot.queue.JobId;

/**
 * Whoever runs the queue's jobs, as the services see them: this process's {@link Worker}, or the
 * cluster's workers reached through Redis.
 */
public interface JobRunners {

  /**
   * Stops the job's engine run at its next step (the owner or a moderator cancelled it).
   *
   * @return false when no runner known here is running it
   */
  boolean cancel(JobId id);

  /** How many jobs run at once, all runners together (for wait estimates). */
  int concurrency();
}
