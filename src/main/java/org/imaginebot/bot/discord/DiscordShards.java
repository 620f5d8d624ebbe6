package org.imaginebot.bot.discord;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import net.dv8tion.jda.api.utils.SessionController;

/**
 * This node's gateway connections: one JDA per shard in {@code discord.shardIds}. With {@code
 * shardTotal} 1 it is a single JDA built as before sharding existed (no {@code shard} in IDENTIFY).
 * One JDABuilder per shard rather than JDA's DefaultShardManager keeps that single-JDA path
 * unchanged and every shard built and awaited the same way; the manager would start shards from its
 * own queue worker behind a different handle.
 *
 * <p>Events are handled on {@link #EVENT_THREADS} threads shared by the shards, not on JDA's
 * default, the gateway's read thread: a handler blocks while the core admits a request (the job row
 * is committed before "queued" is answered), and on that single thread every interaction behind it,
 * cache hits included, waited for each commit in turn.
 */
final class DiscordShards {

  /**
   * Handlers that may block at once. Mostly waiting on the database, not on a core, so more than
   * the cores; {@link #EVENT_BACKLOG} events wait beyond them.
   */
  static final int EVENT_THREADS = 8;

  /**
   * Events waiting for a handler thread; past that JDA runs the event on the read thread itself,
   * which stops reading the gateway until the handlers catch up rather than queueing without bound.
   */
  static final int EVENT_BACKLOG = 1000;

  private final int total;
  private final Map<Integer, JDA> byShard;
  private final ExecutorService events;

  private DiscordShards(int total, Map<Integer, JDA> byShard, ExecutorService events) {
    this.total = total;
    this.byShard = byShard;
    this.events = events;
  }

  /**
   * Builds (logs in) every shard of this node; their gateway connections open in the background.
   * JDA's exceptions pass through (a refused token is an InvalidTokenException).
   */
  static DiscordShards connect(String token, DiscordConfig config, EventListener listener) {
    // One controller for all shards of this node, as JDA asks: it spaces their IDENTIFYs by
    // Discord's login limit (one per 5 s), where separate controllers would send them at once.
    SessionController controller =
        new ConcurrentSessionController() {
          @Override
          public String getGateway() {
            return config.gatewayUrl();
          }
        };
    ExecutorService events = eventPool();
    Map<Integer, JDA> built = new LinkedHashMap<>();
    try {
      for (int shard : config.shards()) {
        JDABuilder builder =
            JDABuilder.createLight(token, EnumSet.noneOf(GatewayIntent.class))
                .setRestConfig(new RestConfig().setBaseUrl(config.apiUrl()))
                .setSessionController(controller)
                .setCompression(Compression.NONE)
                .setEventPool(events, false) // shared by the shards: closed here, after them
                .addEventListeners(listener);
        if (config.shardTotal() > 1) {
          builder.useSharding(shard, config.shardTotal());
        }
        built.put(shard, builder.build());
      }
    } catch (RuntimeException e) {
      built.values().forEach(JDA::shutdownNow);
      events.shutdownNow();
      throw e;
    }
    return new DiscordShards(config.shardTotal(), built, events);
  }

  /** {@link #EVENT_THREADS} daemon threads, named for thread dumps, with a bounded backlog. */
  private static ExecutorService eventPool() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            EVENT_THREADS,
            EVENT_THREADS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(EVENT_BACKLOG),
            r -> {
              Thread t = new Thread(r, "discord-events-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true); // an idle bot keeps no handler threads
    return pool;
  }

  /** Waits until every shard of this node received READY (and its servers). */
  void awaitReady() throws InterruptedException {
    for (JDA jda : byShard.values()) {
      jda.awaitReady();
    }
  }

  int total() {
    return total;
  }

  /** The shard ids this node runs, ascending. */
  Collection<Integer> ids() {
    return byShard.keySet();
  }

  /** Each shard's JDA by shard id, ascending. */
  Map<Integer, JDA> all() {
    return Collections.unmodifiableMap(byShard);
  }

  /** The lowest shard's JDA; every shard logs in as the same bot user. */
  JDA first() {
    return byShard.values().iterator().next();
  }

  /** The JDA of {@code shard} when this node runs it. */
  Optional<JDA> shard(int shard) {
    return Optional.ofNullable(byShard.get(shard));
  }

  /** The shard Discord sends {@code guildId}'s events to, whether or not this node runs it. */
  int shardOf(String guildId) {
    return ShardIds.of(guildId, total);
  }

  /**
   * A server channel the bot sees on any of this node's shards; null when none does (a server on
   * another node's shard, or a channel the bot cannot see).
   */
  GuildMessageChannel channel(String channelId) {
    for (JDA jda : byShard.values()) {
      GuildMessageChannel channel = jda.getChannelById(GuildMessageChannel.class, channelId);
      if (channel != null) {
        return channel;
      }
    }
    return null;
  }

  /**
   * Shuts every shard down, letting queued requests finish for up to 10 s in all, then drops what
   * is left. All shards are asked first, so they wind down together rather than one after another.
   */
  void close() {
    byShard.values().forEach(JDA::shutdown);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      for (JDA jda : byShard.values()) {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!jda.awaitShutdown(left, TimeUnit.NANOSECONDS)) {
          jda.shutdownNow();
        }
      }
      // Handlers still running may finish (their replies then fail: JDA is shut down).
      events.shutdown();
      events.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      byShard.values().forEach(JDA::shutdownNow);
    } finally {
      events.shutdownNow();
    }
  }

  /** Drops every shard at once, for a start that failed half way. */
  void shutdownNow() {
    byShard.values().forEach(JDA::shutdownNow);
    events.shutdownNow();
  }
}
