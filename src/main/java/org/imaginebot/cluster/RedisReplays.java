package org.imaginebot.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import java.util.Objects;
import org.imaginebot.bot.Replays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays seen by any bot node: a signature is a key set with NX and the window as its expiry, so a
 * request replayed to another node behind the load balancer is refused too.
 */
public final class RedisReplays implements Replays {

  private static final Logger LOG = LoggerFactory.getLogger(RedisReplays.class);

  private final Redis redis;
  private final Replays fallback = Replays.local();

  public RedisReplays(Redis redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  @Override
  public boolean firstTime(String signature) {
    try {
      return "OK"
          .equals(
              redis
                  .commands()
                  .set(
                      redis.key("seen:" + signature),
                      "1",
                      SetArgs.Builder.nx().px(WINDOW.toMillis())));
    } catch (RedisException e) {
      // Redis away: this node's own memory still refuses what it saw itself
      LOG.warn(
          "cannot check a request for replay in Redis ({}); checking locally", Redis.describe(e));
      return fallback.firstTime(signature);
    }
  }
}
