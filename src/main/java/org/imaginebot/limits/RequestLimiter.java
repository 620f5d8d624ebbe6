package org.imaginebot.limits;

import java.util.Optional;

/**
 * Requests per minute of each user and each guild (workspace): in this process ({@link RateLimits})
 * or across a cluster (Redis). A request counts in both windows or in neither.
 */
public interface RequestLimiter {

  /**
   * Counts one request, or says which limit is reached and when it has room; a refusal counts
   * nothing.
   */
  Optional<Refusal> tryAcquire(String scopeId, String userId);

  /** Uncounts a request that a later step refused, so that refusal costs nothing either. */
  void giveBack(String scopeId, String userId);
}
