package org.imaginebot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A database the queue benchmark may fill and throw away: by default a fresh H2 file in a temporary
 * directory (like {@code serve}'s default, an H2 file), or a new schema in the H2 or PostgreSQL
 * database named by {@code --database}. Closing deletes the directory or drops the schema, so the
 * benchmark never touches a bot's own jobs.
 */
public final class BenchDatabase implements AutoCloseable {

  private final String kind;
  private final String url;
  private final Connection
      admin; // holds the schema (and an in-memory H2 database) open; null for the temp file
  private final String schema;
  private final Path directory;

  private BenchDatabase(String kind, String url, Connection admin, String schema, Path directory) {
    this.kind = kind;
    this.url = url;
    this.admin = admin;
    this.schema = schema;
    this.directory = directory;
  }

  /** A fresh H2 file in a new temporary directory. */
  public static BenchDatabase h2File() {
    try {
      Path directory = Files.createTempDirectory("imagine-bench-queue");
      return new BenchDatabase(
          "h2-file",
          "jdbc:h2:file:" + directory.resolve("queue").toAbsolutePath(),
          null,
          null,
          directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a temporary directory for the benchmark database: " + e.getMessage(), e);
    }
  }

  /**
   * A new schema {@code bench_<random>} in the database at {@code jdbcUrl}.
   *
   * @throws IllegalArgumentException when the URL is neither H2 nor PostgreSQL
   * @throws IllegalStateException when the database cannot be reached
   */
  public static BenchDatabase schemaIn(String jdbcUrl) {
    boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
    if (!postgres && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(
          "--database must be a PostgreSQL or H2 JDBC URL (jdbc:postgresql://host/db?user=... or jdbc:h2:...)");
    }
    String schema = "bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    Connection admin = null;
    try {
      admin = DriverManager.getConnection(jdbcUrl);
      try (Statement st = admin.createStatement()) {
        st.execute("CREATE SCHEMA " + schema);
      }
      String url =
          postgres
              ? jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema
              : jdbcUrl + ";SCHEMA=" + schema;
      return new BenchDatabase(postgres ? "postgresql" : "h2", url, admin, schema, null);
    } catch (SQLException e) {
      closeQuietly(admin);
      // The driver's message names the host and the problem, never the password.
      throw new IllegalStateException(
          "cannot create a throwaway schema in the --database: "
              + e.getMessage()
              + "; check that the database runs and the URL, user and password are right",
          e);
    }
  }

  /** {@code h2-file}, {@code h2} or {@code postgresql}: what the figures were measured on. */
  public String kind() {
    return kind;
  }

  /** The JDBC URL of the throwaway database (may hold credentials: never print it). */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    if (admin != null) {
      try (Statement st = admin.createStatement()) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot drop the benchmark's schema "
                + schema
                + ": "
                + e.getMessage()
                + "; drop it by hand",
            e);
      } finally {
        closeQuietly(admin);
      }
    }
    if (directory != null) {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot delete the benchmark database " + directory + ": " + e.getMessage(), e);
      }
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // best effort: the schema is dropped or the error was already reported
    }
  }
}
