package org.imaginebot.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.ScopeSettings;

/**
 * Requests per minute, per user and per guild/workspace, counted in fixed one-minute windows
 * ({@link MinuteWindow}) against the live settings.
 *
 * <p>A request is admitted only when both its user's and its scope's window have room, and then
 * counts in both; a refused request counts in neither. The limits are read from the live settings
 * on every request and the windows count what was used, so a moderator's change needs no hook here:
 * a lowered limit applies at once without fresh permits, a raised one grants the difference, and
 * changing any other setting touches nothing. A user's window belongs to a user in one scope,
 * because the limit is that scope's setting. Idle windows are dropped after ten minutes, so the map
 * stays as small as the active users.
 *
 * <p>Not Resilience4j's {@code RateLimiter}: its 2.3.0 public API cannot take both permits or
 * neither, applies a lowered limit only from the next period, and reads {@code System.nanoTime}
 * with no public way to inject time. Checking both windows and counting under one lock is the
 * smallest thing that is correct; the critical section is a few field updates.
 */
public final class RateLimits implements RequestLimiter {

  private static final Duration IDLE = Duration.ofMinutes(10);

  private record Key(String scopeId, String userId) {}

  private final LiveSettings settings;
  private final LongSupplier nanoTime;
  private final Cache<Key, MinuteWindow> windows;
  private final Object lock = new Object();

  /**
   * @param nanoTime monotonic time, {@code System::nanoTime} in production; tests drive a fake one
   */
  public RateLimits(LiveSettings settings, LongSupplier nanoTime) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.windows =
        Caffeine.newBuilder()
            .expireAfterAccess(IDLE)
            .ticker(nanoTime::getAsLong)
            .executor(Runnable::run)
            .build();
  }

  /**
   * Counts one request of {@code userId} in {@code scopeId}, or says which limit is reached and
   * when it has room again; a refusal counts nothing. The user's limit is reported first when both
   * are reached, since waiting for the scope would not help that user sooner.
   */
  @Override
  public Optional<Refusal> tryAcquire(String scopeId, String userId) {
    ScopeSettings current = settings.get(scopeId);
    synchronized (lock) {
      long now = nanoTime.getAsLong();
      MinuteWindow scope = windows.get(new Key(scopeId, null), k -> new MinuteWindow());
      MinuteWindow user = windows.get(new Key(scopeId, userId), k -> new MinuteWindow());
      if (!user.hasRoom(now, current.requestsPerMinute())) {
        return Optional.of(
            userLimited(current.requestsPerMinute(), waitOf(user.nanosUntilReset(now))));
      }
      if (!scope.hasRoom(now, current.scopeRequestsPerMinute())) {
        return Optional.of(
            scopeLimited(current.scopeRequestsPerMinute(), waitOf(scope.nanosUntilReset(now))));
      }
      user.take(now);
      scope.take(now);
      return Optional.empty();
    }
  }

  /**
   * Uncounts a request that {@link #tryAcquire} admitted but a later step refused (a full queue),
   * so that refusal costs nothing either.
   */
  @Override
  public void giveBack(String scopeId, String userId) {
    synchronized (lock) {
      long now = nanoTime.getAsLong();
      for (Key key : new Key[] {new Key(scopeId, userId), new Key(scopeId, null)}) {
        MinuteWindow window = windows.getIfPresent(key);
        if (window != null) {
          window.giveBack(now);
        }
      }
    }
  }

  /** The refusal of a user over {@code perMinute}, who may ask again after {@code wait}. */
  public static Refusal userLimited(int perMinute, Duration wait) {
    return new Refusal(
        RefusalKind.USER_RATE_LIMITED,
        "You can make "
            + perMinute(perMinute)
            + " on this server; try again in "
            + seconds(wait)
            + ".",
        wait);
  }

  /** The refusal of a scope over {@code perMinute}, which has room again after {@code wait}. */
  public static Refusal scopeLimited(int perMinute, Duration wait) {
    return new Refusal(
        RefusalKind.SCOPE_RATE_LIMITED,
        "This server has reached its limit of "
            + perMinute(perMinute)
            + "; try again in "
            + seconds(wait)
            + ".",
        wait);
  }

  /** Whole seconds, rounded up, at least one. */
  public static Duration waitOf(long nanos) {
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
