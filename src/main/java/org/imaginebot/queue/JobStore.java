package org.imaginebot.queue;

import java.util.List;

/**
 * Where a persistent {@link JobQueue} keeps its jobs so that a restart loses none.
 *
 * <p>Each job is stored once with a sequence number that orders admissions; later calls only change
 * its state. Finished jobs stay in the store (as history) but are never loaded again. Failures are
 * {@link JobStoreException}s.
 */
public interface JobStore extends AutoCloseable {

  /**
   * A store in a JDBC database, creating table {@code jobs} if absent.
   *
   * @param jdbcUrl e.g. {@code jdbc:h2:file:./data/imagine;AUTO_SERVER=FALSE}, or a PostgreSQL url
   */
  static JobStore jdbc(String jdbcUrl) {
    return JdbcJobStore.open(jdbcUrl);
  }

  /** Stores a newly admitted job. */
  void insert(Job job, long seq);

  /** Changes a stored job's state; unknown ids are ignored. */
  void updateState(JobId id, JobState state);

  /** The queued and running jobs, in admission order. */
  List<Job> loadUnfinished();

  /** The highest sequence number ever stored, 0 when none. */
  long maxSeq();

  @Override
  void close();
}
