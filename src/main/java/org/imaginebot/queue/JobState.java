package org.imaginebot.queue;

/** Where a job is in its life: queued, running, or finished one of three ways. */
public enum JobState {
  QUEUED,
  RUNNING,
  DONE,
  FAILED,
  CANCELLED;

  /** Whether the job is over (done, failed or cancelled). */
  public boolean isFinal() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }
}
