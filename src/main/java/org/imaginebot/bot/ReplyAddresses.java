package org.imaginebot.bot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobStoreException;

/**
 * Who asked for each waiting or running job, and where, kept in the database beside the jobs: after
 * a restart the chat reply is gone, but the adapter can still post the image where it was asked for.
 * Rows are removed when their job ends.
 */
public final class ReplyAddresses implements AutoCloseable {

  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS job_reply (
        job_id VARCHAR(32) PRIMARY KEY,
        user_id VARCHAR(64) NOT NULL,
        scope_id VARCHAR(64) NOT NULL,
        channel_id VARCHAR(64),
        source VARCHAR(16) NOT NULL
      )""";

  private final String url;
  private final Connection connection;

  private ReplyAddresses(String url, Connection connection) {
    this.url = url;
    this.connection = connection;
  }

  public static ReplyAddresses jdbc(String url) {
    try {
      Connection connection = DriverManager.getConnection(url);
      try (Statement statement = connection.createStatement()) {
        statement.execute(SCHEMA);
      }
      return new ReplyAddresses(url, connection);
    } catch (SQLException e) {
      throw new JobStoreException("cannot open the reply addresses in " + redacted(url) + ": " + e.getMessage()
          + "; check queue.database", e);
    }
  }

  synchronized void put(JobId job, Requester requester) {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO job_reply (job_id, user_id, scope_id, channel_id, source) VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, job.value());
      insert.setString(2, requester.userId());
      insert.setString(3, requester.scopeId());
      insert.setString(4, requester.channelId());
      insert.setString(5, requester.source());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw failure("record who asked for job " + job, e);
    }
  }

  synchronized Optional<Requester> get(JobId job) {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT user_id, scope_id, channel_id, source FROM job_reply WHERE job_id = ?")) {
      select.setString(1, job.value());
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? Optional.of(new Requester(row.getString(1), row.getString(2), row.getString(3), row.getString(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read who asked for job " + job, e);
    }
  }

  synchronized void remove(JobId job) {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM job_reply WHERE job_id = ?")) {
      delete.setString(1, job.value());
      delete.executeUpdate();
    } catch (SQLException e) {
      throw failure("forget who asked for job " + job, e);
    }
  }

  private JobStoreException failure(String what, SQLException e) {
    return new JobStoreException("cannot " + what + " in " + redacted(url) + ": " + e.getMessage(), e);
  }

  private static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing is best effort; the connection is unusable either way
    }
  }
}
