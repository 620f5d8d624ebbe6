package org.imaginebot.queue;

/** Why the queue refused a job. A paused queue still admits jobs, so pausing is not a reason. */
public enum RefusalReason {
  /** The queue holds its global maximum of waiting jobs. */
  QUEUE_FULL,
  /** The user already has their maximum of waiting jobs. */
  USER_QUEUE_FULL,
  /** The job could not be stored (database down); nothing was queued, a later try may work. */
  STORE_UNAVAILABLE
}
