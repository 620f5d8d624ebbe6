package org.imaginebot.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobStore;
import org.imaginebot.request.GenerationRequest;

/**
 * What a fuzz run left in the database: row counts of the tables a request may write, and whether
 * the stored jobs are the queued ones. Shared by {@link FuzzBenchmark} and the adapters' fuzz test.
 */
public final class FuzzStore {

  /** The tables counted by {@link #counts}, besides the quota's {@code quota_used} sum. */
  public static final List<String> TABLES =
      List.of(
          "jobs", "job_reply", "settings_override", "settings_audit", "action_ref", "user_prefs");

  /** Differing jobs shown in the log; the rest are counted. */
  private static final int SHOWN = 20;

  private FuzzStore() {}

  /**
   * Jobs whose stored request is not the one queued, or that are in only one of the two, each shown
   * in {@code log} (the first few).
   */
  public static int differing(JobQueue queue, DataSource dataSource, Consumer<String> log) {
    Map<String, GenerationRequest> live = new HashMap<>();
    for (Job job : queue.snapshot()) {
      live.put(job.id().value(), job.request());
    }
    for (Job job : queue.running()) {
      live.put(job.id().value(), job.request());
    }
    int differing = 0;
    List<Job> stored = JobStore.jdbc(dataSource).loadUnfinished();
    for (Job job : stored) {
      GenerationRequest queued = live.remove(job.id().value());
      if (!job.request().equals(queued)) {
        differing++;
        if (differing <= SHOWN) {
          log.accept(
              "fuzz: job "
                  + job.id().value()
                  + " was queued as "
                  + (queued == null ? "nothing" : FuzzCase.literal(queued.toString(), 300))
                  + " but stored as "
                  + FuzzCase.literal(job.request().toString(), 300));
        }
      }
    }
    return differing + live.size();
  }

  /** Rows of each of {@link #TABLES}, and {@code quota_used}: the images counted in the quota. */
  public static Map<String, Long> counts(DataSource dataSource) {
    Map<String, Long> counts = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement st = connection.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(used), 0) FROM quota_usage")) {
        rs.next();
        counts.put("quota_used", rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the store's rows: " + e.getMessage(), e);
    }
    return counts;
  }
}
