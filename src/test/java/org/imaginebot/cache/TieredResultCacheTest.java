package org.imaginebot.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imaginebot.cache.Images.image;
import static org.imaginebot.cache.Images.key;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.imaginebot.request.CacheKey;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TieredResultCacheTest {

  private static final Duration TTL = Duration.ofDays(7);
  private static final long MIB = 1 << 20;

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final CacheKey key = key(0xab);

  @Test
  void get_afterPut_servedFromMemory() {
    ResultCache cache = cache(MIB, MIB);
    CachedImage image = image(100, 1, clock.instant());
    cache.put(key, image);

    assertThat(cache.get(key)).contains(image);
    assertThat(cache.stats()).isEqualTo(new ResultCache.Stats(1, 0, 1, 0));
  }

  @Test
  void get_unknownKey_isAMiss() {
    ResultCache cache = cache(MIB, MIB);

    assertThat(cache.get(key)).isEmpty();
    assertThat(cache.stats()).isEqualTo(new ResultCache.Stats(0, 1, 0, 0));
  }

  @Test
  void get_afterRestart_servedFromDiskThenFromMemory() {
    CachedImage image = image(100, 1, clock.instant());
    cache(MIB, MIB).put(key, image);
    ResultCache restarted = cache(MIB, MIB);

    assertThat(restarted.get(key)).contains(image);
    assertThat(restarted.get(key)).contains(image);
    assertThat(restarted.stats()).isEqualTo(new ResultCache.Stats(2, 0, 1, 1));
    assertThat(dir.resolve("ab").resolve(key.hex() + ".png")).hasBinaryContent(image.png());
    assertThat(dir.resolve("ab").resolve(key.hex() + ".json")).exists();
  }

  @Test
  void get_afterTtl_missInMemory() {
    ResultCache cache = cache(MIB, 0); // no disk, so only L1 can answer
    cache.put(key, image(100, 1, clock.instant()));

    clock.advance(TTL.minusSeconds(1));
    assertThat(cache.get(key)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get(key)).isEmpty();
  }

  @Test
  void get_afterTtl_missInMemory_evenWhenTheWallClockWasSetBack() {
    ResultCache cache = cache(MIB, 0);
    cache.put(key, image(100, 1, clock.instant()));
    clock.advance(TTL.minusSeconds(1));

    clock.stepWallClock(Duration.ofHours(-1)); // an NTP correction: no time passes
    clock.advance(Duration.ofSeconds(1));

    assertThat(cache.get(key)).as("the image has lived its TTL").isEmpty();
  }

  @Test
  void get_wallClockSetForward_keepsTheImageInMemory() {
    ResultCache cache = cache(MIB, 0);
    cache.put(key, image(100, 1, clock.instant()));

    clock.stepWallClock(TTL); // no time passes

    assertThat(cache.get(key)).as("no time has passed").isPresent();
  }

  @Test
  void get_afterTtl_missOnDiskAndFilesRemoved() {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    ResultCache restarted = cache(MIB, MIB);

    clock.advance(TTL);

    assertThat(restarted.get(key)).isEmpty();
    assertThat(dir.resolve("ab")).isEmptyDirectory();
  }

  @Test
  void get_promotedFromDisk_keepsItsOriginalExpiry() {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    clock.advance(TTL.minusDays(1));
    ResultCache restarted = cache(MIB, MIB);
    assertThat(restarted.get(key)).isPresent(); // promoted to L1 six days in

    clock.advance(Duration.ofDays(1));

    assertThat(restarted.get(key)).isEmpty();
  }

  @Test
  void invalidate_removesTheImageFromMemoryAndDisk_soARestartDoesNotBringItBack() {
    ResultCache cache = cache(MIB, MIB);
    cache.put(key, image(100, 1, clock.instant()));
    CachedImage other = image(100, 2, clock.instant());
    cache.put(key(0x01), other);

    assertThat(cache.invalidate(key)).isTrue();

    assertThat(cache.get(key)).isEmpty();
    assertThat(json()).doesNotExist();
    assertThat(png()).doesNotExist();
    assertThat(cache(MIB, MIB).get(key)).as("after a restart").isEmpty();
    assertThat(cache.get(key(0x01))).as("other images stay").contains(other);
    assertThat(cache.invalidate(key)).as("nothing left to remove").isFalse();
  }

  @Test
  void invalidate_anImageOnlyOnDisk_removesItsFiles() {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    ResultCache restarted = cache(MIB, MIB); // its memory is empty

    assertThat(restarted.invalidate(key)).isTrue();

    assertThat(restarted.get(key)).isEmpty();
    assertThat(json()).doesNotExist();
  }

  @Test
  void invalidate_anImageOnlyInMemory_isTrue() {
    ResultCache cache = cache(MIB, 0); // no disk
    cache.put(key, image(100, 1, clock.instant()));

    assertThat(cache.invalidate(key)).isTrue();
    assertThat(cache.get(key)).isEmpty();
  }

  @Test
  void put_alreadyExpired_isNotKept() {
    ResultCache cache = cache(MIB, MIB);
    cache.put(key, image(100, 1, clock.instant().minus(TTL)));

    assertThat(cache.get(key)).isEmpty();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void put_overMemoryWeight_evictsFromMemoryButDiskStillServes() {
    ResultCache cache = cache(1000, MIB);
    for (int i = 1; i <= 3; i++) {
      cache.put(key(i), image(400, i, clock.instant()));
    }

    for (int i = 1; i <= 3; i++) {
      assertThat(cache.get(key(i)))
          .get()
          .extracting(CachedImage::png)
          .isEqualTo(image(400, i, clock.instant()).png());
    }
    // 1200 bytes cannot all fit in 1000: at least one lookup had to go to disk.
    assertThat(cache.stats().hits()).isEqualTo(3);
    assertThat(cache.stats().l2Hits()).isPositive();
  }

  @Test
  void put_overMemoryWeight_withoutDisk_dropsAnImage() {
    ResultCache cache = cache(1000, 0);
    for (int i = 1; i <= 3; i++) {
      cache.put(key(i), image(400, i, clock.instant()));
    }

    long found = IntStream.rangeClosed(1, 3).filter(i -> cache.get(key(i)).isPresent()).count();
    assertThat(found).isEqualTo(2);
  }

  @Test
  void put_overDiskBound_evictsOldestEntries() throws IOException {
    cache(0, MIB).put(key(0x10), image(1000, 1, clock.instant()));
    long entryBytes = sizeOf(dir);
    long bound = 2 * entryBytes + entryBytes / 2;
    ResultCache cache = cache(0, bound); // no memory: every get reads the disk
    cache.put(key(0x20), image(1000, 2, clock.instant().plusSeconds(1)));
    assertThat(cache.get(key(0x10))).isPresent();

    cache.put(key(0x30), image(1000, 3, clock.instant().plusSeconds(2)));

    assertThat(sizeOf(dir)).isLessThanOrEqualTo(bound);
    assertThat(cache.get(key(0x10))).isEmpty(); // oldest by createdAt, though it was read last
    assertThat(cache.get(key(0x20))).isPresent();
    assertThat(cache.get(key(0x30))).isPresent();
  }

  @Test
  void put_largerThanDiskBound_isKeptInMemoryOnly() {
    ResultCache cache = cache(MIB, 500);
    cache.put(key, image(1000, 1, clock.instant()));

    assertThat(cache.get(key)).isPresent();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void get_corruptJson_missAndFilesRemoved() throws IOException {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    Files.writeString(json(), "{\"pngSha256\": \"00\", not json");

    assertThat(cache(MIB, MIB).get(key)).isEmpty();
    assertThat(json()).doesNotExist();
    assertThat(png()).doesNotExist();
  }

  @Test
  void get_halfWrittenJson_missAndFilesRemoved() throws IOException {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    byte[] content = Files.readAllBytes(json());
    Files.write(json(), Arrays.copyOf(content, content.length / 2));

    assertThat(cache(MIB, MIB).get(key)).isEmpty();
    assertThat(json()).doesNotExist();
    assertThat(png()).doesNotExist();
  }

  @Test
  void get_corruptPng_missAndFilesRemoved() throws IOException {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    byte[] png = Files.readAllBytes(png());
    png[50] ^= 1;
    Files.write(png(), png);

    assertThat(cache(MIB, MIB).get(key)).isEmpty();
    assertThat(json()).doesNotExist();
    assertThat(png()).doesNotExist();
  }

  @Test
  void get_missingPng_missAndJsonRemoved() throws IOException {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    Files.delete(png());

    assertThat(cache(MIB, MIB).get(key)).isEmpty();
    assertThat(json()).doesNotExist();
  }

  @Test
  void get_pngWithoutJson_isAMissLeftForEviction() throws IOException {
    cache(MIB, MIB).put(key, image(100, 1, clock.instant()));
    Files.delete(json()); // as after a crash between the two renames

    assertThat(cache(MIB, MIB).get(key)).isEmpty();
  }

  @Test
  void put_diskUnwritable_stillServedFromMemory() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    ResultCache cache =
        ResultCache.tiered(
            new CacheConfig(MIB, notADirectory, MIB, TTL, true), clock, clock::nanoTime);
    CachedImage image = image(100, 1, clock.instant());

    cache.put(key, image);

    assertThat(cache.get(key)).contains(image);
    assertThat(cache.get(key(0x01))).isEmpty();
  }

  @Test
  void cachedImage_copiesItsPng() {
    byte[] png = {1, 2, 3};
    CachedImage image = new CachedImage(png, 0, 0, 1, 1, "m", "adam", clock.instant(), 0);
    png[0] = 9;
    image.png()[1] = 9;

    assertThat(image.png()).containsExactly(1, 2, 3);
  }

  private ResultCache cache(long memoryMaxBytes, long diskMaxBytes) {
    return ResultCache.tiered(
        new CacheConfig(memoryMaxBytes, dir, diskMaxBytes, TTL, true), clock, clock::nanoTime);
  }

  private Path json() {
    return dir.resolve("ab").resolve(key.hex() + ".json");
  }

  private Path png() {
    return dir.resolve("ab").resolve(key.hex() + ".png");
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
