package org.imaginebot.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.imaginebot.db.DatabaseFailure;

/**
 * A {@link JobStore} over a connection pool, in SQL that runs on H2 and PostgreSQL alike.
 *
 * <p>A {@link #write} is one transaction: the new jobs in one JDBC batch, their attachments, then
 * the state changes in a second batch, so a group of admissions costs one commit. Requests are
 * stored as JSON ({@link RequestJson}), times as {@code TIMESTAMP WITH TIME ZONE} (microseconds).
 * The schema comes from the migrations ({@code db/migration}).
 */
final class JdbcJobStore implements JobStore {

  private static final String INSERT =
      "INSERT INTO jobs (id, user_id, scope_id, request_json, state, enqueued_at, seq)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE =
      "UPDATE jobs SET state = ? WHERE id = ? AND state NOT IN ('DONE', 'FAILED', 'CANCELLED')";

  private static final String WITHDRAW = "DELETE FROM jobs WHERE id = ? AND state = 'QUEUED'";

  private final DataSource dataSource;

  JdbcJobStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public void write(List<JobWrite> writes) {
    if (writes.isEmpty()) {
      return;
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        insertAll(connection, writes);
        updateAll(connection, writes);
        withdrawAll(connection, writes);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      } // the pool restores auto-commit when the connection goes back
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot store " + describe(writes) + " (" + DatabaseFailure.describe(e) + ")", e);
    }
  }

  private static void insertAll(Connection connection, List<JobWrite> writes) throws SQLException {
    List<JobWrite.Insert> inserts = new ArrayList<>();
    for (JobWrite write : writes) {
      if (write instanceof JobWrite.Insert insert) {
        inserts.add(insert);
      }
    }
    if (inserts.isEmpty()) {
      return;
    }
    try (PreparedStatement st = connection.prepareStatement(INSERT)) {
      for (JobWrite.Insert insert : inserts) {
        Job job = insert.job();
        st.setString(1, job.id().value());
        st.setString(2, job.userId());
        st.setString(3, job.scopeId());
        st.setString(4, RequestJson.write(job.request()));
        st.setString(5, job.state().name());
        st.setObject(6, OffsetDateTime.ofInstant(job.enqueuedAt(), ZoneOffset.UTC));
        st.setLong(7, insert.seq());
        st.addBatch();
      }
      st.executeBatch();
    }
    for (JobWrite.Insert insert : inserts) {
      insert.attachment().store(connection, insert.job().id());
    }
  }

  private static void updateAll(Connection connection, List<JobWrite> writes) throws SQLException {
    PreparedStatement st = null;
    try {
      for (JobWrite write : writes) {
        if (write instanceof JobWrite.StateChange change) {
          if (st == null) {
            st = connection.prepareStatement(UPDATE);
          }
          st.setString(1, change.state().name());
          st.setString(2, change.jobId().value());
          st.addBatch();
        }
      }
      if (st != null) {
        st.executeBatch();
      }
    } finally {
      if (st != null) {
        st.close();
      }
    }
  }

  private static void withdrawAll(Connection connection, List<JobWrite> writes)
      throws SQLException {
    for (JobWrite write : writes) {
      if (write instanceof JobWrite.Withdraw withdraw) {
        try (PreparedStatement st = connection.prepareStatement(WITHDRAW)) {
          st.setString(1, withdraw.jobId().value());
          if (st.executeUpdate() == 1) { // once: a retried withdrawal finds no row
            withdraw.attachment().withdraw(connection, withdraw.jobId());
          }
        }
      }
    }
  }

  private static String describe(List<JobWrite> writes) {
    JobWrite first = writes.get(0);
    String what =
        first instanceof JobWrite.StateChange change
            ? "state " + change.state() + " of job " + change.jobId()
            : "job " + first.jobId();
    return writes.size() == 1 ? what : what + " and " + (writes.size() - 1) + " more changes";
  }

  @Override
  public boolean finish(JobId id, JobState finalState) {
    if (!finalState.isFinal()) {
      throw new IllegalArgumentException("not a final state: " + finalState);
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(UPDATE)) {
      st.setString(1, finalState.name());
      st.setString(2, id.value());
      return st.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot end job " + id + " (" + DatabaseFailure.describe(e) + ")", e);
    }
  }

  @Override
  public List<Job> loadUnfinished() {
    String sql =
        "SELECT id, user_id, scope_id, request_json, state, enqueued_at FROM jobs"
            + " WHERE state IN ('QUEUED', 'RUNNING') ORDER BY seq";
    List<Job> jobs = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        jobs.add(
            new Job(
                new JobId(rs.getString(1)),
                rs.getString(2),
                rs.getString(3),
                RequestJson.read(rs.getString(4)),
                rs.getObject(6, OffsetDateTime.class).toInstant(),
                JobState.valueOf(rs.getString(5))));
      }
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot load queued jobs (" + DatabaseFailure.describe(e) + ")", e);
    }
    return jobs;
  }

  @Override
  public long maxSeq() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement("SELECT MAX(seq) FROM jobs");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0; // getLong gives 0 for SQL NULL (empty table)
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot read job sequence (" + DatabaseFailure.describe(e) + ")", e);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the original failure is what the caller needs to see
    }
  }
}
