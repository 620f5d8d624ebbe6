package org.imaginebot.queue;

import java.util.Objects;

/**
 * Durable job writes for a queue kept elsewhere (the Redis backend): concurrent admissions are
 * stored in shared transactions (group commit, as the local persistent queue does), state changes
 * that fail are retried in the background and logged with the job's id.
 */
public final class GroupCommit {

  private final StoreWriter writer;

  public GroupCommit(JobStore store) {
    Objects.requireNonNull(store, "store");
    this.writer = new StoreWriter(store, StateRetries.defaults(store), group -> {});
  }

  /**
   * Stores a newly admitted job with its attachment; returns once it is committed.
   *
   * @return false when the database refused it: nothing of it was kept
   */
  public boolean insert(Job job, long seq, JobAttachment attachment) {
    StoreWriter.Write write = writer.enqueue(new JobWrite.Insert(job, seq, attachment));
    writer.flush(write);
    return write.stored();
  }

  /**
   * Removes a job refused after {@link #insert} (and its attachment's rows); when the database
   * cannot take that now, the job is recorded as cancelled instead, retried in the background.
   */
  public void withdraw(JobId id, JobAttachment attachment) {
    StoreWriter.Write write = writer.enqueue(new JobWrite.Withdraw(id, attachment));
    writer.flush(write);
    if (!write.stored()) {
      change(id, JobState.CANCELLED);
    }
  }

  /** Stores a state change, retrying in the background when the database is away. */
  public void change(JobId id, JobState state) {
    StoreWriter.Write write = writer.enqueue(new JobWrite.StateChange(id, state));
    writer.flush(write);
  }
}
