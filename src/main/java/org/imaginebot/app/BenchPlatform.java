package org.imaginebot.app;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/** The chat platform a bench drives the bot through ({@code --platform}), and its bench bot. */
enum BenchPlatform {
  /** The real JDA against the fake Discord. */
  DISCORD("JDA") {
    @Override
    BenchBot start(String database, Map<String, String> extra, ConfigOptions options)
        throws IOException, InterruptedException {
      return DiscordBenchBot.start(database, extra, options);
    }
  },
  /** The real Bolt app (HTTP mode, signed requests) against the fake Slack. */
  SLACK("Bolt") {
    @Override
    BenchBot start(String database, Map<String, String> extra, ConfigOptions options)
        throws IOException, InterruptedException {
      return SlackBenchBot.start(database, extra, options);
    }
  };

  private final String client;

  BenchPlatform(String client) {
    this.client = client;
  }

  /** The whole bot ({@code serve --role all}) on this platform's fake. */
  abstract BenchBot start(String database, Map<String, String> extra, ConfigOptions options)
      throws IOException, InterruptedException;

  /** The platform's client library the bot runs: JDA, Bolt. */
  String client() {
    return client;
  }

  /** Its name in JSON and on the command line: discord, slack. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The platform {@code --platform} names.
   *
   * @throws IllegalArgumentException naming what is allowed
   */
  static BenchPlatform of(String name) {
    for (BenchPlatform p : values()) {
      if (p.id().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("--platform must be discord or slack, got '" + name + "'");
  }
}
