package org.imaginebot.bot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Which signed platform requests were already seen, so a replayed one is refused: kept in this
 * process, or (bot nodes behind a load balancer) shared by the cluster.
 */
public interface Replays {

  /** How long a request's signature is remembered: longer than Slack's 5-minute window. */
  Duration WINDOW = Duration.ofMinutes(6);

  /** Records {@code signature}; false when it was seen within {@link #WINDOW}. */
  boolean firstTime(String signature);

  /** Replays remembered in this process. */
  static Replays local() {
    Cache<String, Boolean> seen =
        Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(WINDOW).build();
    return signature -> seen.asMap().putIfAbsent(signature, Boolean.TRUE) == null;
  }
}
