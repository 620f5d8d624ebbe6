package org.imaginebot.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.ScopeSettings;

/**
 * Requests per minute, per user and per guild/workspace, as Resilience4j rate limiters sized by the
 * live settings.
 *
 * <p>A user's limiter belongs to a user in one scope, because the limit is that scope's setting.
 * When a moderator changes a limit, that scope's limiters are replaced, so the new limit counts from
 * the next request (Resilience4j's own {@code changeLimitForPeriod} waits for the next minute).
 * Idle limiters are dropped after ten minutes so the map stays as small as the active users.
 */
public final class RateLimits {

  private static final Duration PERIOD = Duration.ofMinutes(1);
  private static final Duration IDLE = Duration.ofMinutes(10);

  private record Key(String scopeId, String userId) {}

  private final LiveSettings settings;
  private final Cache<Key, RateLimiter> limiters = Caffeine.newBuilder().expireAfterAccess(IDLE).build();

  public RateLimits(LiveSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    settings.addListener((scopeId, changed) ->
        limiters.asMap().keySet().removeIf(key -> key.scopeId().equals(scopeId)));
  }

  /**
   * Takes one request's permit from the scope's and the user's limiter, or says which is exhausted
   * and when it refills. The user's limiter is asked first, so a user over their own limit never
   * uses up the guild's permits.
   */
  public Optional<Refusal> tryAcquire(String scopeId, String userId) {
    ScopeSettings current = settings.get(scopeId);
    RateLimiter scope = limiter(new Key(scopeId, null), current.scopeRequestsPerMinute());
    RateLimiter user = limiter(new Key(scopeId, userId), current.requestsPerMinute());
    if (!user.acquirePermission()) {
      Duration wait = waitOf(user);
      return Optional.of(new Refusal(RefusalKind.USER_RATE_LIMITED,
          "You can make " + perMinute(current.requestsPerMinute()) + " on this server; try again in "
              + seconds(wait) + ".", wait));
    }
    if (!scope.acquirePermission()) {
      Duration wait = waitOf(scope);
      return Optional.of(new Refusal(RefusalKind.SCOPE_RATE_LIMITED,
          "This server has reached its limit of " + perMinute(current.scopeRequestsPerMinute())
              + "; try again in " + seconds(wait) + ".", wait));
    }
    return Optional.empty();
  }

  private RateLimiter limiter(Key key, int perMinute) {
    return limiters.get(key, k -> RateLimiter.of(k.toString(), RateLimiterConfig.custom()
        .limitForPeriod(perMinute)
        .limitRefreshPeriod(PERIOD)
        .timeoutDuration(Duration.ZERO)
        .build()));
  }

  private static Duration waitOf(RateLimiter limiter) {
    long nanos = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait() : 0;
    // Round up to whole seconds: "try again in 0 s" would be wrong, and users read seconds.
    return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
  }

  private static String perMinute(int n) {
    return n + (n == 1 ? " image" : " images") + " per minute";
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
