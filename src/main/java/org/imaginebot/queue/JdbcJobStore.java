package org.imaginebot.queue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link JobStore} over one JDBC connection, in SQL that runs on H2 and PostgreSQL alike.
 *
 * <p>Calls are serialized on the connection (the queue writes from one thread at a time anyway).
 * Requests are stored as JSON ({@link RequestJson}), times as {@code TIMESTAMP WITH TIME ZONE}
 * (microsecond precision).
 */
final class JdbcJobStore implements JobStore {

  private static final String[] SCHEMA = {
    """
    CREATE TABLE IF NOT EXISTS jobs (
      id VARCHAR(64) PRIMARY KEY,
      user_id VARCHAR(255) NOT NULL,
      scope_id VARCHAR(255) NOT NULL,
      request_json TEXT NOT NULL,
      state VARCHAR(16) NOT NULL,
      enqueued_at TIMESTAMP WITH TIME ZONE NOT NULL,
      seq BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS jobs_state_seq ON jobs (state, seq)"
  };

  private final Connection connection;

  private JdbcJobStore(Connection connection) {
    this.connection = connection;
  }

  static JdbcJobStore open(String jdbcUrl) {
    Connection connection = null;
    try {
      connection = DriverManager.getConnection(jdbcUrl);
      try (Statement st = connection.createStatement()) {
        for (String ddl : SCHEMA) {
          st.execute(ddl);
        }
      }
      return new JdbcJobStore(connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new JobStoreException("cannot open job store at " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void insert(Job job, long seq) {
    String sql =
        "INSERT INTO jobs (id, user_id, scope_id, request_json, state, enqueued_at, seq)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, job.id().value());
      st.setString(2, job.userId());
      st.setString(3, job.scopeId());
      st.setString(4, RequestJson.write(job.request()));
      st.setString(5, job.state().name());
      st.setObject(6, OffsetDateTime.ofInstant(job.enqueuedAt(), ZoneOffset.UTC));
      st.setLong(7, seq);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new JobStoreException("cannot store job " + job.id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void updateState(JobId id, JobState state) {
    try (PreparedStatement st = connection.prepareStatement("UPDATE jobs SET state = ? WHERE id = ?")) {
      st.setString(1, state.name());
      st.setString(2, id.value());
      st.executeUpdate();
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot set job " + id + " to " + state + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<Job> loadUnfinished() {
    String sql =
        "SELECT id, user_id, scope_id, request_json, state, enqueued_at FROM jobs"
            + " WHERE state IN ('QUEUED', 'RUNNING') ORDER BY seq";
    List<Job> jobs = new ArrayList<>();
    try (PreparedStatement st = connection.prepareStatement(sql);
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
      throw new JobStoreException("cannot load queued jobs: " + e.getMessage(), e);
    }
    return jobs;
  }

  @Override
  public synchronized long maxSeq() {
    try (PreparedStatement st = connection.prepareStatement("SELECT MAX(seq) FROM jobs");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0; // getLong gives 0 for SQL NULL (empty table)
    } catch (SQLException e) {
      throw new JobStoreException("cannot read job sequence: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing is best effort; the connection is unusable either way
    }
  }
}
