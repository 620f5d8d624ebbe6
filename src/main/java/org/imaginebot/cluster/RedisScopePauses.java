package org.imaginebot.cluster;

import java.util.Objects;
import org.imaginebot.limits.ScopePauses;

/** Moderators' pauses kept in Redis, so a pause on any bot node holds on every worker. */
public final class RedisScopePauses implements ScopePauses {

  private final Redis redis;

  public RedisScopePauses(Redis redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  @Override
  public void pause(String scopeId) {
    redis.commands().sadd(redis.key("paused"), scopeId);
  }

  @Override
  public void resume(String scopeId) {
    redis.commands().srem(redis.key("paused"), scopeId);
    redis.publish("ready", "resume");
  }

  @Override
  public boolean isPaused(String scopeId) {
    return redis.commands().sismember(redis.key("paused"), scopeId);
  }
}
