package org.imaginebot.app;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.imaginebot.bench.LoadDriver;

/**
 * The whole bot connected to a fake chat platform, as {@code bench load} drives it whatever the
 * platform ({@link DiscordBenchBot}, {@link SlackBenchBot}).
 */
interface BenchBot extends AutoCloseable {

  /** What sends commands to this bot through its fake and reads back what they got. */
  LoadDriver loadDriver(Duration stall, Consumer<String> log);

  /** The configuration the bot runs with. */
  AppConfig config();

  /** Exceptions no thread caught since the bot started. */
  int uncaught();

  /** What kind of database holds the bot's tables: h2 or postgresql. */
  String databaseKind();

  @Override
  void close() throws IOException;
}
