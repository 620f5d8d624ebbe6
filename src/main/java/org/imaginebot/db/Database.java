package org.imaginebot.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The bot's database: one connection pool on {@code queue.database}, its schema migrated at open.
 *
 * <p>Migrations are the scripts in {@code src/main/resources/db/migration} (SQL that H2 and
 * PostgreSQL both run), applied by Flyway, so a later schema change upgrades an operator's database
 * in place. A database made before migrations existed (tables but no history) is baselined at
 * version 0; {@code V1} only creates what is missing, so its data stays.
 *
 * <p>Every store shares {@link #dataSource()}. When a connection is found dead, the pool drops all
 * its idle ones, so the first call after an outage gets a fresh connection.
 */
public final class Database implements AutoCloseable {

  /**
   * What {@link #probe()} found: up, or down with a short cause such as {@code connection refused}.
   */
  public record Health(boolean up, String detail) {}

  /** Tries of the migrations before the database is reported as not upgradable. */
  private static final int MIGRATION_ATTEMPTS = 5;

  private final HikariDataSource pool;
  private final String description;

  private Database(HikariDataSource pool, String description) {
    this.pool = pool;
    this.description = description;
  }

  /**
   * Opens the pool and migrates the schema.
   *
   * @param jdbcUrl an H2 or PostgreSQL JDBC URL
   * @param poolSize most connections held at once
   * @param connectTimeout how long a caller waits for a connection before its call fails; short, so
   *     a request during an outage is refused within Discord's 3 s
   * @throws DatabaseException when the database cannot be reached or migrated
   */
  public static Database open(String jdbcUrl, int poolSize, Duration connectTimeout) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    String description = JdbcUrls.redact(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("imagine-db");
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
    config.setValidationTimeout(Math.max(250, Math.min(connectTimeout.toMillis(), 5_000)));
    EvictOnConnectionLoss evict = new EvictOnConnectionLoss();
    config.setExceptionOverride(evict);
    if (JdbcUrls.isPostgres(jdbcUrl)) {
      config.addDataSourceProperty(
          "reWriteBatchedInserts", "true"); // a batch of admissions: one INSERT
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
      evict.pool = pool;
    } catch (RuntimeException e) {
      throw new DatabaseException(
          "cannot open the database "
              + description
              + " ("
              + DatabaseFailure.describe(e)
              + "); check queue.database and that the database is running",
          e);
    }
    try {
      migrate(pool);
    } catch (FlywayException e) {
      pool.close();
      throw new DatabaseException(
          "cannot bring the schema of "
              + description
              + " up to date ("
              + DatabaseFailure.describe(e)
              + "); check that its user may create tables",
          e);
    }
    return new Database(pool, description);
  }

  /**
   * Applies the migrations. Nodes started together (compose starts the bot and both workers at
   * once) may migrate one fresh database at the same moment: one creates the history table, and
   * another that looked just before finds it empty and refuses to baseline it. Flyway's own lock
   * then serializes the migrations, so a node that lost that race tries again.
   */
  private static void migrate(HikariDataSource pool) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(pool)
            .locations("classpath:db/migration")
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load();
    for (int attempt = 1; ; attempt++) {
      try {
        flyway.migrate();
        return;
      } catch (FlywayException e) {
        if (attempt == MIGRATION_ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(100L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The pooled connections every store uses. */
  public DataSource dataSource() {
    return pool;
  }

  /** The JDBC URL without its password. */
  public String description() {
    return description;
  }

  /** Borrows a connection and checks it: up, or down with a short cause, never a raw SQL error. */
  public Health probe() {
    try (Connection connection = pool.getConnection()) {
      return connection.isValid(2)
          ? new Health(true, "reachable")
          : new Health(false, "connection not valid");
    } catch (SQLException | RuntimeException e) {
      return new Health(false, DatabaseFailure.describe(e));
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /**
   * Hikari's hook: when a connection turns out dead (the database went away), every idle one is
   * probably dead too, so all are dropped and the first call after the database is back gets a
   * fresh connection instead of failing on an old one. H2's "database closed" has no 08 state,
   * hence the codes.
   */
  private static final class EvictOnConnectionLoss implements SQLExceptionOverride {
    volatile HikariDataSource pool;

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      int code = e.getErrorCode();
      boolean lost =
          state.startsWith("08")
              || state.startsWith("57P")
              || code == 90121
              || code == 90098
              || code == 90146
              || code == 90013;
      if (!lost) {
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
      }
      HikariDataSource current = pool;
      if (current != null && current.getHikariPoolMXBean() != null) {
        current.getHikariPoolMXBean().softEvictConnections();
      }
      return SQLExceptionOverride.Override.MUST_EVICT;
    }
  }
}
