package org.imaginebot.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.imaginebot.request.CacheKey;

/** Caffeine in front of {@link DiskCache}; see {@link ResultCache#tiered}. */
final class TieredResultCache implements ResultCache {

  private final Cache<CacheKey, CachedImage> memory;
  private final DiskCache disk;
  private final Clock clock;
  private final Duration ttl;
  private final LongAdder l1Hits = new LongAdder();
  private final LongAdder l2Hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  TieredResultCache(CacheConfig config, Clock clock, Ticker ticker) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = config.ttl();
    this.disk = new DiskCache(config.diskDir(), config.diskMaxBytes(), ttl, clock);
    this.memory =
        Caffeine.newBuilder()
            .maximumWeight(config.memoryMaxBytes())
            .weigher((CacheKey key, CachedImage image) -> image.pngSize())
            // From createdAt, not from the L1 write: an image promoted from disk must not live
            // longer.
            // The life left is read off the wall clock once, at the write; the monotonic ticker
            // then
            // counts it down, so a wall clock set back (NTP) cannot keep an image beyond its TTL.
            .expireAfter(Expiry.writing((CacheKey key, CachedImage image) -> remaining(image)))
            .ticker(Objects.requireNonNull(ticker, "ticker"))
            // Eviction on the caller's thread: cheap here, and deterministic for tests.
            .executor(Runnable::run)
            .build();
  }

  @Override
  public Optional<CachedImage> get(CacheKey key) {
    CachedImage image = memory.getIfPresent(key);
    if (image != null) {
      l1Hits.increment();
      return Optional.of(image);
    }
    Optional<CachedImage> fromDisk = disk.read(key);
    if (fromDisk.isPresent()) {
      memory.put(key, fromDisk.get());
      l2Hits.increment();
    } else {
      misses.increment();
    }
    return fromDisk;
  }

  @Override
  public void put(CacheKey key, CachedImage image) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(image, "image");
    if (remaining(image).isZero()) {
      return;
    }
    memory.put(key, image);
    disk.write(key, image);
  }

  @Override
  public boolean invalidate(CacheKey key) {
    Objects.requireNonNull(key, "key");
    // Disk first: a lookup racing this one can then copy the image back into memory only if it
    // read the disk before the files went.
    boolean onDisk = disk.remove(key);
    boolean inMemory = memory.asMap().remove(key) != null;
    return onDisk || inMemory;
  }

  @Override
  public Stats stats() {
    long l1 = l1Hits.sum();
    long l2 = l2Hits.sum();
    return new Stats(l1 + l2, misses.sum(), l1, l2);
  }

  private Duration remaining(CachedImage image) {
    Duration left = Duration.between(clock.instant(), image.createdAt().plus(ttl));
    return left.isNegative() ? Duration.ZERO : left;
  }
}
