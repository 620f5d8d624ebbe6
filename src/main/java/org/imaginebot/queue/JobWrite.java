package org.imaginebot.queue;

import java.util.Objects;

/** One change for the {@link JobStore}: a newly admitted job, or a job's new state. */
public sealed interface JobWrite {

  /** The job this write is about. */
  JobId jobId();

  /**
   * A newly admitted job.
   *
   * @param seq orders admissions across restarts
   * @param attachment rows stored with it in the same transaction
   */
  record Insert(Job job, long seq, JobAttachment attachment) implements JobWrite {
    public Insert {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(attachment, "attachment");
    }

    @Override
    public JobId jobId() {
      return job.id();
    }
  }

  /**
   * A job refused after it was stored, before anything ran it: its row goes, and its attachment's
   * rows are withdrawn, as if it had never been offered.
   */
  record Withdraw(JobId jobId, JobAttachment attachment) implements JobWrite {
    public Withdraw {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(attachment, "attachment");
    }
  }

  /** A job's new state; a final state (done, failed, cancelled) is never overwritten. */
  record StateChange(JobId jobId, JobState state) implements JobWrite {
    public StateChange {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(state, "state");
    }
  }
}
