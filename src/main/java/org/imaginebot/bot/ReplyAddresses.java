package org.imaginebot.bot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.imaginebot.db.DatabaseFailure;
import org.imaginebot.queue.JobAttachment;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobStoreException;

/**
 * Who asked for each waiting or running job, and where, kept in table {@code job_reply} beside the
 * jobs: after a restart the chat reply is gone, but the adapter can still post the image where it
 * was asked for. A row is written in its job's admission transaction ({@link #attachment}), so a
 * stored job always has its address; rows are removed when their job ends.
 */
public final class ReplyAddresses {

  private final DataSource dataSource;

  public ReplyAddresses(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** The row of {@code requester}, to store with the job it asks for. */
  JobAttachment attachment(Requester requester) {
    return new JobAttachment() {
      @Override
      public void store(Connection connection, JobId job) throws SQLException {
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO job_reply (job_id, user_id, scope_id, channel_id, source) VALUES (?, ?, ?, ?, ?)")) {
          insert.setString(1, job.value());
          insert.setString(2, requester.userId());
          insert.setString(3, requester.scopeId());
          insert.setString(4, requester.channelId());
          insert.setString(5, requester.source());
          insert.executeUpdate();
        }
      }

      @Override
      public void withdraw(Connection connection, JobId job) throws SQLException {
        try (PreparedStatement delete =
            connection.prepareStatement("DELETE FROM job_reply WHERE job_id = ?")) {
          delete.setString(1, job.value());
          delete.executeUpdate();
        }
      }
    };
  }

  Optional<Requester> get(JobId job) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT user_id, scope_id, channel_id, source FROM job_reply WHERE job_id = ?")) {
      select.setString(1, job.value());
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? Optional.of(
                new Requester(
                    row.getString(1), row.getString(2), row.getString(3), row.getString(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read who asked for job " + job, e);
    }
  }

  void remove(JobId job) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM job_reply WHERE job_id = ?")) {
      delete.setString(1, job.value());
      delete.executeUpdate();
    } catch (SQLException e) {
      throw failure("forget who asked for job " + job, e);
    }
  }

  private static JobStoreException failure(String what, SQLException e) {
    return new JobStoreException("cannot " + what + " (" + DatabaseFailure.describe(e) + ")", e);
  }
}
