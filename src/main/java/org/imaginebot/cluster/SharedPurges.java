package org.imaginebot.cluster;

import io.lettuce.core.RedisException;
import java.util.Objects;
import java.util.Optional;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.cache.ResultCache;
import org.imaginebot.request.CacheKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's result cache in a cluster: a moderator's purge on one node is announced on {@code
 * purge}, and every other node drops the image from its own memory tier as well (the disk tier is
 * the shared directory, already emptied by the first), so no node serves a purged image again.
 */
public final class SharedPurges implements ResultCache {

  private static final Logger LOG = LoggerFactory.getLogger(SharedPurges.class);

  private final Redis redis;
  private final ResultCache local;
  private final String node;

  private SharedPurges(Redis redis, ResultCache local) {
    this.redis = redis;
    this.local = local;
    this.node = redis.config().node();
  }

  /** Wraps {@code local} and starts applying other nodes' purges to it. */
  public static SharedPurges start(Redis redis, ResultCache local) {
    SharedPurges cache =
        new SharedPurges(
            Objects.requireNonNull(redis, "redis"), Objects.requireNonNull(local, "local"));
    redis.subscribe("purge", (channel, message) -> cache.purgedElsewhere(message));
    return cache;
  }

  @Override
  public Optional<CachedImage> get(CacheKey key) {
    return local.get(key);
  }

  @Override
  public void put(CacheKey key, CachedImage image) {
    local.put(key, image);
  }

  /** Removes the image here and tells every other node to drop it from memory. */
  @Override
  public boolean invalidate(CacheKey key) {
    boolean removed = local.invalidate(key);
    try {
      redis.publish("purge", node + "\n" + key.hex());
    } catch (RedisException e) {
      LOG.warn(
          "purged image {} here, but cannot tell the other nodes ({}); they may serve it from"
              + " memory until it expires there",
          key.hex(),
          Redis.describe(e));
    }
    return removed;
  }

  @Override
  public Stats stats() {
    return local.stats();
  }

  private void purgedElsewhere(String message) {
    int newline = message.indexOf('\n');
    if (newline < 0 || message.substring(0, newline).equals(node)) {
      return;
    }
    local.invalidate(new CacheKey(message.substring(newline + 1)));
  }
}
