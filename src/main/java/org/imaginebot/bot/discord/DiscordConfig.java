package org.imaginebot.bot.discord;

import java.time.Duration;
import java.util.List;

/**
 * The {@code discord} section. The token is not here: it comes only from {@code DISCORD_TOKEN}.
 *
 * @param apiUrl REST base URL ending in {@code /}; another value runs the bot against a local fake
 * @param gatewayUrl gateway WebSocket URL
 * @param minEditInterval least time between two edits of one reply (Discord allows about 5 per 5 s)
 * @param shardTotal gateway shards of the bot across all nodes (1..1000); 1 = one unsharded
 *     connection
 * @param shardIds the shards this node runs: {@code all} or comma-separated ids such as {@code 0,2}
 */
public record DiscordConfig(
    String apiUrl, String gatewayUrl, Duration minEditInterval, int shardTotal, String shardIds) {

  public DiscordConfig {
    if (apiUrl == null
        || !(apiUrl.startsWith("http://") || apiUrl.startsWith("https://"))
        || !apiUrl.endsWith("/")) {
      throw new IllegalArgumentException(
          "discord.apiUrl must be an http(s) URL ending in '/', such as https://discord.com/api/v10/, got "
              + apiUrl);
    }
    if (gatewayUrl == null
        || !(gatewayUrl.startsWith("ws://") || gatewayUrl.startsWith("wss://"))) {
      throw new IllegalArgumentException(
          "discord.gatewayUrl must be a ws(s) URL such as wss://gateway.discord.gg/, got "
              + gatewayUrl);
    }
    if (minEditInterval == null
        || minEditInterval.isNegative()
        || minEditInterval.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException(
          "discord.minEditInterval must be a duration from PT0S to PT60S such as PT2.5S, got "
              + minEditInterval);
    }
    if (shardTotal < 1 || shardTotal > ShardIds.MAX_TOTAL) {
      throw new IllegalArgumentException(
          "discord.shardTotal must be from 1 to "
              + ShardIds.MAX_TOTAL
              + " (1 = one connection runs every server), got "
              + shardTotal);
    }
    ShardIds.parse(shardIds, shardTotal); // fails with the key, the value and the allowed range
  }

  /** The shard ids this node runs, ascending; {@code [0]} when unsharded. */
  public List<Integer> shards() {
    return ShardIds.parse(shardIds, shardTotal);
  }
}
