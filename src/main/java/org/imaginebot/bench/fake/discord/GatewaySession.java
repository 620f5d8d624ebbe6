package org.imaginebot.bench.fake.discord;

/**
 * A gateway session {@link FakeDiscord} opened for an IDENTIFY: its {@code session_id}, the shard
 * {@code [shardId, shardTotal]} the client asked for ({@code [0, 1]} when it sent none) and the
 * token it identified with, which tells test nodes apart when each uses its own.
 */
public record GatewaySession(String sessionId, int shardId, int shardTotal, String token) {

  /**
   * Whether Discord would send {@code guildId}'s events to this session: shard {@code (guild_id >>
   * 22) % shardTotal}; DMs ({@code guildId} null) go to shard 0.
   */
  public boolean holds(String guildId) {
    return shardOf(guildId, shardTotal) == shardId;
  }

  /** The shard of {@code guildId} among {@code shardTotal}; 0 for DMs (null). */
  public static int shardOf(String guildId, int shardTotal) {
    return guildId == null
        ? 0
        : (int) Long.remainderUnsigned(Long.parseUnsignedLong(guildId) >>> 22, shardTotal);
  }

  @Override
  public String toString() {
    return "session " + sessionId + " shard [" + shardId + ", " + shardTotal + "]";
  }
}
