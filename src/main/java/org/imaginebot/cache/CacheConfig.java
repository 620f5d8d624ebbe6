package org.imaginebot.cache;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code cache} section: how many finished images are kept, where, and for how long.
 *
 * <p>Defaults live in {@code config/application.yaml}: 64 MiB in memory, 1 GiB under {@code
 * data/cache}, seven days. Every value is checked here; a message names the key and the value, e.g.
 * {@code cache.memoryMaxBytes must be at least 0, got -1}.
 *
 * @param memoryMaxBytes most PNG bytes kept in memory (L1); 0 keeps none there
 * @param diskDir directory of the disk cache (L2), created when first written
 * @param diskMaxBytes most bytes of PNG and metadata files kept on disk; 0 keeps none there
 * @param ttl how long after its generation an image may be served, an ISO-8601 duration above 0
 * @param seedFromPrompt true: a request that names no seed gets one derived from the request, so
 *     the same prompt again is answered from the cache; false: a random seed, a new image every
 *     time
 */
public record CacheConfig(
    long memoryMaxBytes, Path diskDir, long diskMaxBytes, Duration ttl, boolean seedFromPrompt) {

  public CacheConfig {
    atLeastZero("cache.memoryMaxBytes", memoryMaxBytes);
    if (diskDir == null || diskDir.toString().isBlank()) {
      throw new IllegalArgumentException(
          "cache.diskDir must be a path, got " + (diskDir == null ? "nothing" : "''"));
    }
    atLeastZero("cache.diskMaxBytes", diskMaxBytes);
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "cache.ttl must be a duration above 0 such as P7D or PT12H, got "
              + (ttl == null ? "nothing" : ttl));
    }
  }

  private static void atLeastZero(String key, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(key + " must be at least 0, got " + value);
    }
  }
}
