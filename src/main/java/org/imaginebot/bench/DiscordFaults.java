package org.imaginebot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.imaginebot.bench.fake.TcpForwarder;
import org.imaginebot.bench.fake.discord.FakeDiscord;

/**
 * The faults {@code bench faults} injects into the fake Discord while a load runs, each at a fixed
 * share of the commands sent: 429s with Retry-After on reply edits and on an interaction callback,
 * 500s on reply edits (which JDA does not retry itself), on any edit and on the final ones (the
 * image), a gateway connection dropped as Discord does before a resume, and, when the bot's
 * database is behind a {@link TcpForwarder}, that link cut for {@link #DATABASE_OUTAGE} (a stopped
 * database or a network outage) and restored.
 */
public final class DiscordFaults implements DiscordLoad.BeforeCommand {

  /** Any interaction's original reply. */
  static final String ORIGINAL = "webhooks/\\d+/[^/]+/messages/@original";

  /** Any interaction callback. */
  static final String CALLBACK = "interactions/\\d+/[^/]+/callback";

  /** What only a reply's final edit (the image) carries: its Re-roll button's id. */
  public static final String FINAL_MARK = "imagine:reroll:";

  /** How many edits each 500 burst fails. */
  static final int FAILED_EDITS = 3;

  /** How many edits each 429 burst limits. */
  static final int LIMITED_EDITS = 3;

  /** How long the database stays unreachable. */
  public static final Duration DATABASE_OUTAGE = Duration.ofSeconds(3);

  private final Optional<TcpForwarder> database;
  private final Injections injections;

  /**
   * @param database the link to the bot's database, cut once mid-run; empty for no database outage
   */
  public DiscordFaults(int commands, Optional<TcpForwarder> database, Consumer<String> log) {
    this.database = database;
    this.injections = new Injections(commands, log);
  }

  @Override
  public void before(int index, FakeDiscord fake) {
    if (at(index, 0.10) || at(index, 0.60)) {
      for (int n = 0; n < LIMITED_EDITS; n++) {
        fake.rateLimitNext("PATCH", ORIGINAL, 1.0);
      }
      count("discord_429_edits", LIMITED_EDITS);
    }
    if (at(index, 0.20)) {
      fake.failNext("PATCH", ORIGINAL, 500, FAILED_EDITS);
      count("discord_500_edits", FAILED_EDITS);
    }
    if (at(index, 0.70)) {
      fake.failNext("PATCH", ORIGINAL, FINAL_MARK, 500, FAILED_EDITS);
      count("discord_500_final_edits", FAILED_EDITS);
    }
    if (at(index, 0.35)) {
      fake.rateLimitNext("POST", CALLBACK, 1.0);
      count("discord_429_callbacks", 1);
    }
    if (at(index, 0.50)) {
      fake.dropGateway(4000);
      count("gateway_drops", 1);
    }
    if (at(index, 0.40) && database.isPresent()) {
      cutForAWhile(database.get());
      count("database_outages", 1);
    }
  }

  /** Cuts the link now and restores it {@link #DATABASE_OUTAGE} later, while commands go on. */
  private void cutForAWhile(TcpForwarder link) {
    try {
      link.cut();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cut the database link", e);
    }
    injections.endLater(
        DATABASE_OUTAGE, "bench-database-restore", link::restore, "database reachable again");
  }

  /** What was injected so far, by kind. */
  public Map<String, Integer> injected() {
    return injections.injected();
  }

  private boolean at(int index, double share) {
    return injections.at(index, share);
  }

  private void count(String kind, int n) {
    injections.count(kind, n);
  }
}
