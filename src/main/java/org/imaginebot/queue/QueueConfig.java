package org.imaginebot.queue;

/**
 * The {@code queue} section.
 *
 * @param maxQueued jobs waiting at most, all users together (1..100000)
 * @param database JDBC URL of the database holding jobs, settings and the audit log; an H2 file
 *     under {@code data/} by default, PostgreSQL when scaled out
 */
public record QueueConfig(int maxQueued, String database) {

  public QueueConfig {
    if (maxQueued < 1 || maxQueued > 100_000) {
      throw new IllegalArgumentException("queue.maxQueued must be between 1 and 100000, got " + maxQueued);
    }
    if (database == null || !database.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "queue.database must be a JDBC URL such as jdbc:h2:file:./data/imagine-bot, got " + database);
    }
  }
}
