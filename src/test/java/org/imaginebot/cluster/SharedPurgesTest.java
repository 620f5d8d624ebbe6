package org.imaginebot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.imaginebot.cache.CacheConfig;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.cache.ResultCache;
import org.imaginebot.request.CacheKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A purge on one node reaches the memory tier of every other node (real Redis, shared disk). */
class SharedPurgesTest {

  private static final CacheKey KEY = new CacheKey("ab".repeat(32));
  private static final CacheKey OTHER = new CacheKey("cd".repeat(32));

  @TempDir Path shared;
  private TestRedis testRedis;
  private final List<Redis> connections = new ArrayList<>();

  @BeforeEach
  void setUp() {
    testRedis = TestRedis.local();
  }

  @AfterEach
  void tearDown() {
    connections.forEach(Redis::close);
    testRedis.close();
  }

  /** A node's own tiered cache on the directory every node mounts. */
  private ResultCache tiered() {
    return ResultCache.tiered(
        new CacheConfig(1 << 20, shared, 1 << 20, Duration.ofDays(1), true), Clock.systemUTC());
  }

  private SharedPurges node(String name, ResultCache local) {
    Redis redis = Redis.connect(testRedis.config(name));
    connections.add(redis);
    return SharedPurges.start(redis, local);
  }

  private static CachedImage image() {
    return new CachedImage(new byte[] {1, 2, 3}, 0.3, 2, 2, 5, "tiny", "adam", Instant.now(), 10);
  }

  @Test
  void aPurgeOnOneNodeEmptiesTheOtherNodesMemoryToo() {
    SharedPurges a = node("a", tiered());
    SharedPurges b = node("b", tiered());
    a.put(KEY, image());
    a.put(OTHER, image());
    assertThat(b.get(KEY)).as("a disk hit on b, copied into b's memory").isPresent();
    assertThat(b.get(OTHER)).isPresent();

    assertThat(a.invalidate(KEY)).isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> b.get(KEY).isEmpty());
    assertThat(b.get(OTHER)).as("only the purged image goes").isPresent();
  }

  /** The control: without the notice, b goes on serving the image from memory. */
  @Test
  void withoutTheNoticeTheOtherNodeStillServesItFromMemory() {
    ResultCache aLocal = tiered();
    SharedPurges a = node("a", aLocal);
    SharedPurges b = node("b", tiered());
    a.put(KEY, image());
    assertThat(b.get(KEY)).isPresent();

    assertThat(aLocal.invalidate(KEY)).isTrue(); // a's cache alone, not announced

    assertThat(b.get(KEY)).isPresent();
  }
}
