package org.imaginebot.app;

import org.imaginebot.bot.discord.DiscordConfig;
import org.imaginebot.bot.slack.SlackConfig;
import org.imaginebot.cache.CacheConfig;
import org.imaginebot.cluster.RedisConfig;
import org.imaginebot.config.ConfigException;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.limits.LimitsConfig;
import org.imaginebot.metrics.ServerConfig;
import org.imaginebot.queue.QueueConfig;
import org.imaginebot.worker.WorkerConfig;

/**
 * The whole application configuration, one record per section of {@code config/application.yaml}.
 *
 * <p>Built by {@link ConfigLoader#load}. A new section is a new record component here plus its
 * record: keys, environment variable names and error messages follow from the records.
 *
 * @param engine the {@code engine} section: models and image generation
 * @param cache the {@code cache} section: finished images kept in memory and on disk
 * @param queue the {@code queue} section: global cap and the database
 * @param worker the {@code worker} section: GPU concurrency and job time limit
 * @param limits the {@code limits} section: each guild's live settings until moderators change them
 * @param redis the {@code redis} section: the shared queue of bot nodes and workers
 * @param server the {@code server} section: the metrics and health endpoint of {@code serve}
 * @param discord the {@code discord} section: where the Discord adapter connects, which shards it
 *     runs and how often it edits
 * @param slack the {@code slack} section: where the Slack adapter listens and connects, how often
 *     it updates
 */
public record AppConfig(
    EngineConfig engine,
    CacheConfig cache,
    QueueConfig queue,
    WorkerConfig worker,
    LimitsConfig limits,
    RedisConfig redis,
    ServerConfig server,
    DiscordConfig discord,
    SlackConfig slack) {

  public AppConfig {
    require(engine, "engine");
    require(cache, "cache");
    require(queue, "queue");
    require(worker, "worker");
    require(limits, "limits");
    require(redis, "redis");
    require(server, "server");
    require(discord, "discord");
    require(slack, "slack");
  }

  private static void require(Object section, String name) {
    if (section == null) {
      throw new ConfigException(name + " must be set");
    }
  }
}
