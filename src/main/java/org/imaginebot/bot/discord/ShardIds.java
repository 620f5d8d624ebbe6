package org.imaginebot.bot.discord;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.imaginebot.config.Checks;

/**
 * {@code discord.shardIds} and Discord's rule for which shard holds a server. Discord sends a
 * server's events, interactions included, only to the shard {@code (guild_id >> 22) % shardTotal};
 * direct messages go to shard 0.
 */
final class ShardIds {

  /** Discord asks bots in 2 500+ servers to shard; 1000 shards is far beyond this bot's reach. */
  static final int MAX_TOTAL = 1000;

  private ShardIds() {}

  /**
   * {@code all} (any case) is {@code 0..shardTotal-1}; else comma-separated ids, each once, each in
   * {@code 0..shardTotal-1}. Returns them ascending.
   */
  static List<Integer> parse(String value, int shardTotal) {
    String range = "from 0 to " + (shardTotal - 1) + " (discord.shardTotal is " + shardTotal + ")";
    String list = value == null ? "" : value.strip();
    if (list.toLowerCase(Locale.ROOT).equals("all")) {
      return IntStream.range(0, shardTotal).boxed().toList();
    }
    if (!list.matches("\\d{1,9}(\\s*,\\s*\\d{1,9})*")) {
      throw new IllegalArgumentException(
          "discord.shardIds must be 'all' or comma-separated shard ids "
              + range
              + " such as 0,2, got "
              + Checks.quote(value));
    }
    TreeSet<Integer> ids = new TreeSet<>();
    for (String part : list.split(",")) {
      int id = Integer.parseInt(part.strip());
      if (id >= shardTotal) {
        throw new IllegalArgumentException(
            "discord.shardIds must be shard ids "
                + range
                + ", got "
                + Checks.quote(value)
                + ": "
                + id
                + " is out of range");
      }
      if (!ids.add(id)) {
        throw new IllegalArgumentException(
            "discord.shardIds must name each shard once, got "
                + Checks.quote(value)
                + ": "
                + id
                + " is repeated");
      }
    }
    return List.copyOf(ids);
  }

  /**
   * The shard that holds {@code guildId} among {@code shardTotal}. A BigInteger, as a server id may
   * exceed Long.MAX_VALUE (snowflakes are unsigned 64-bit).
   */
  static int of(String guildId, int shardTotal) {
    return new BigInteger(guildId).shiftRight(22).mod(BigInteger.valueOf(shardTotal)).intValue();
  }
}
