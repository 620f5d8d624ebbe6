package org.imaginebot.bot.discord;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 */
final class DiscordShards {

  private final int total;
  private final Map<Integer, JDA> byShard;

  private DiscordShards(int total, Map<Integer, JDA> byShard) {
    this.total = total;
    this.byShard = byShard;
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
    Map<Integer, JDA> built = new LinkedHashMap<>();
    try {
      for (int shard : config.shards()) {
        JDABuilder builder =
            JDABuilder.createLight(token, EnumSet.noneOf(GatewayIntent.class))
                .setRestConfig(new RestConfig().setBaseUrl(config.apiUrl()))
                .setSessionController(controller)
                .setCompression(Compression.NONE)
                .addEventListeners(listener);
        if (config.shardTotal() > 1) {
          builder.useSharding(shard, config.shardTotal());
        }
        built.put(shard, builder.build());
      }
    } catch (RuntimeException e) {
      built.values().forEach(JDA::shutdownNow);
      throw e;
    }
    return new DiscordShards(config.shardTotal(), built);
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
    for (JDA jda : byShard.values()) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!jda.awaitShutdown(left, TimeUnit.NANOSECONDS)) {
          jda.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        byShard.values().forEach(JDA::shutdownNow);
        return;
      }
    }
  }

  /** Drops every shard at once, for a start that failed half way. */
  void shutdownNow() {
    byShard.values().forEach(JDA::shutdownNow);
  }
}
