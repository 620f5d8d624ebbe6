package org.imaginebot.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.Optional;
import org.imaginebot.request.CacheKey;

/**
 * Finished images by {@link CacheKey}, so the same request with the same seed is not generated
 * twice.
 *
 * <p>{@link #tiered} keeps images in memory (L1) and on disk (L2, survives restarts). Neither
 * {@link #get} nor {@link #put} throws for a cache problem: a broken or unreadable entry is a miss,
 * a failed write is logged. Implementations are safe for concurrent use.
 */
public interface ResultCache {

  /** The image stored under {@code key} if it has not expired. */
  Optional<CachedImage> get(CacheKey key);

  /** Stores {@code image} under {@code key}, replacing what was there. */
  void put(CacheKey key, CachedImage image);

  /**
   * Removes the image stored under {@code key}, from memory and disk, so the next request for it
   * runs the engine again; true when there was one. Like {@link #put}, never throws for a cache
   * problem: a file that cannot be deleted is logged.
   */
  boolean invalidate(CacheKey key);

  /** Counts of lookups since this instance was made. */
  Stats stats();

  /**
   * A memory cache in front of a disk cache, both bounded by {@code config} and expiring images
   * {@code config.ttl()} after their {@link CachedImage#createdAt}.
   *
   * <p>L1 is Caffeine, weighted by PNG bytes up to {@code memoryMaxBytes}. L2 is {@code
   * diskDir/ab/<key>.png} plus {@code <key>.json}, written atomically and trimmed to {@code
   * diskMaxBytes} (oldest first) on each put. An L2 hit is copied into L1.
   *
   * @param clock the time for expiry; tests pass a fake one
   */
  static ResultCache tiered(CacheConfig config, Clock clock) {
    return tiered(config, clock, Ticker.systemTicker());
  }

  /**
   * As {@link #tiered(CacheConfig, Clock)}, with the monotonic time L1 counts down an image's
   * remaining life by (tests pass a fake one driven with the clock).
   *
   * @param clock wall time: images carry their creation instant, which outlives the process
   * @param ticker monotonic time, so a wall clock set back or forward does not stretch or cut L1
   *     lives
   */
  static ResultCache tiered(CacheConfig config, Clock clock, Ticker ticker) {
    return new TieredResultCache(config, clock, ticker);
  }

  /**
   * Lookup counts.
   *
   * @param hits lookups that found an image ({@code l1Hits + l2Hits})
   * @param misses lookups that found none
   * @param l1Hits hits served from memory
   * @param l2Hits hits served from disk
   */
  record Stats(long hits, long misses, long l1Hits, long l2Hits) {}
}
