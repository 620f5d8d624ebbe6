package org.imaginebot.queue;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows stored in the same transaction as a newly admitted job, such as who to answer when it is
 * done: the job and its rows are kept together or not at all, so nothing is half-admitted.
 */
@FunctionalInterface
public interface JobAttachment {

  /** Nothing besides the job. */
  JobAttachment NONE = (connection, job) -> {};

  /** Writes the rows on {@code connection}, inside the admission's transaction (do not commit). */
  void store(Connection connection, JobId job) throws SQLException;

  /**
   * Undoes {@link #store} for a job refused after it was stored (a cluster's queue refused it), in
   * the transaction that removes the job's row (do not commit); runs at most once per job.
   */
  default void withdraw(Connection connection, JobId job) throws SQLException {}
}
