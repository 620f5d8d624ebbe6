package org.imaginebot.queue;

/** What a cancel request did. */
public enum CancelResult {
  /** The job was waiting and is removed from the queue. */
  CANCELLED_QUEUED,
  /** The job was running and is marked cancelled; the caller must stop its engine run. */
  CANCELLED_RUNNING,
  /** No such job is queued or running (unknown, or already finished). */
  NOT_FOUND,
  /** The requester neither owns the job nor is a moderator; nothing changed. */
  NOT_ALLOWED;

  /** Whether the job is now cancelled. */
  public boolean cancelled() {
    return this == CANCELLED_QUEUED || this == CANCELLED_RUNNING;
  }
}
