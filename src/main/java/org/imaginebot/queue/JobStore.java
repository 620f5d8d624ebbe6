package org.imaginebot.queue;

import java.util.List;
import javax.sql.DataSource;

/**
 * Where a persistent {@link JobQueue} keeps its jobs so that a restart loses none.
 *
 * <p>Each job is stored once with a sequence number that orders admissions; later writes only
 * change its state, and a final state is never changed again (a retried older write cannot undo
 * it). Finished jobs stay in the store (as history) but are never loaded again. Failures are {@link
 * JobStoreException}s.
 */
public interface JobStore {

  /**
   * A store in a JDBC database (H2 or PostgreSQL) whose schema is already migrated ({@code
   * org.imaginebot.db.Database}).
   */
  static JobStore jdbc(DataSource dataSource) {
    return new JdbcJobStore(dataSource);
  }

  /** Applies {@code writes} in order in one transaction: all are kept, or none and it throws. */
  void write(List<JobWrite> writes);

  /** Stores a newly admitted job. */
  default void insert(Job job, long seq) {
    write(List.of(new JobWrite.Insert(job, seq, JobAttachment.NONE)));
  }

  /** Changes a stored job's state; unknown ids and finished jobs are left as they are. */
  default void updateState(JobId id, JobState state) {
    write(List.of(new JobWrite.StateChange(id, state)));
  }

  /**
   * Ends an unfinished job, at once and alone: the one place where two workers that ran the same
   * job learn which of them finished it.
   *
   * @return true when this call ended it; false when it had already ended (or is unknown)
   */
  boolean finish(JobId id, JobState finalState);

  /** The queued and running jobs, in admission order. */
  List<Job> loadUnfinished();

  /** The highest sequence number ever stored, 0 when none. */
  long maxSeq();
}
