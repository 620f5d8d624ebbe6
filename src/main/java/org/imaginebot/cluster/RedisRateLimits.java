package org.imaginebot.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.imaginebot.limits.RateLimits;
import org.imaginebot.limits.Refusal;
import org.imaginebot.limits.RefusalKind;
import org.imaginebot.limits.RequestLimiter;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.ScopeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests per minute counted in Redis, so the limits hold across every bot node: the same
 * one-minute windows, refusals and live limits as {@link RateLimits}, in one Lua script (both
 * windows or neither). Time is Redis's: a window is a key that expires 60 s after its first
 * request.
 */
public final class RedisRateLimits implements RequestLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimits.class);

  private final Redis redis;
  private final LiveSettings settings;

  public RedisRateLimits(Redis redis, LiveSettings settings) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public Optional<Refusal> tryAcquire(String scopeId, String userId) {
    ScopeSettings current = settings.get(scopeId);
    List<Long> answer;
    try {
      answer =
          redis.script(
              "ratelimit",
              ScriptOutputType.MULTI,
              scopeId,
              userId,
              Integer.toString(current.requestsPerMinute()),
              Integer.toString(current.scopeRequestsPerMinute()),
              "take");
    } catch (RedisException e) {
      LOG.warn("cannot count a request: Redis is unreachable ({})", Redis.describe(e));
      return Optional.of(
          new Refusal(
              RefusalKind.STORE_UNAVAILABLE,
              "The bot cannot reach its queue right now; nothing was queued — try again in a"
                  + " minute.",
              Duration.ofMinutes(1)));
    }
    long which = answer.get(0);
    long millis = Math.max(0, answer.get(1));
    if (which == 1) {
      return Optional.of(
          RateLimits.userLimited(
              current.requestsPerMinute(), RateLimits.waitOf(millis * 1_000_000)));
    }
    if (which == 2) {
      return Optional.of(
          RateLimits.scopeLimited(
              current.scopeRequestsPerMinute(), RateLimits.waitOf(millis * 1_000_000)));
    }
    return Optional.empty();
  }

  @Override
  public void giveBack(String scopeId, String userId) {
    try {
      redis.script("ratelimit", ScriptOutputType.MULTI, scopeId, userId, "0", "0", "giveback");
    } catch (RedisException e) {
      LOG.warn("cannot give back a refused request's count ({})", Redis.describe(e));
    }
  }
}
