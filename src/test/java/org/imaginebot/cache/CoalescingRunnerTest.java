package org.imaginebot.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.imaginebot.cache.Images.image;
import static org.imaginebot.cache.Images.key;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.request.CacheKey;
import org.junit.jupiter.api.Test;

final class CoalescingRunnerTest {

  private final CacheKey key = key(0xab);
  private final CachedImage image = image(10, 1, Instant.parse("2025-01-01T00:00:00Z"));
  private final MapCache cache = new MapCache();
  private final CoalescingRunner runner = new CoalescingRunner(cache);
  private final AtomicInteger calls = new AtomicInteger();

  @Test
  void run_miss_runsWorkAndCachesTheImage() {
    Outcome outcome = runner.run(key, true, counted(() -> image)).join();

    assertThat(outcome).isEqualTo(new Outcome(image, false, false));
    assertThat(cache.map).containsEntry(key, image);
    assertThat(runner.inFlight()).isZero();
  }

  @Test
  void run_cacheHit_callsNoWork() {
    cache.map.put(key, image);

    Outcome outcome = runner.run(key, true, counted(() -> image)).join();

    assertThat(outcome).isEqualTo(new Outcome(image, true, false));
    assertThat(calls).hasValue(0);
  }

  @Test
  void run_notCacheable_neverReadsTheCacheButWritesIt() {
    cache.map.put(key, image(10, 2, image.createdAt()));

    Outcome outcome = runner.run(key, false, counted(() -> image)).join();

    assertThat(outcome).isEqualTo(new Outcome(image, false, false));
    assertThat(calls).hasValue(1);
    assertThat(cache.gets).hasValue(0);
    assertThat(cache.map).containsEntry(key, image);
  }

  @Test
  void run_sameKeyConcurrently_runsWorkOnceAndSharesTheImage() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Outcome> first = new CompletableFuture<>();
    Thread owner =
        new Thread(
            () ->
                first.complete(
                    runner
                        .run(
                            key,
                            true,
                            counted(
                                () -> {
                                  started.countDown();
                                  await(release);
                                  return image;
                                }))
                        .join()));
    owner.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Outcome> second = runner.run(key, true, counted(() -> image));
    assertThat(second).isNotDone(); // attached to the first run, which is still held
    release.countDown();

    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(image, false, true));
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(image, false, false));
    assertThat(calls).hasValue(1);
    owner.join(10_000);
  }

  @Test
  void run_workFails_bothCallersFailAndTheKeyIsRetryable() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<CompletableFuture<Outcome>> first = new CompletableFuture<>();
    Thread owner =
        new Thread(
            () ->
                first.complete(
                    runner.run(
                        key,
                        true,
                        counted(
                            () -> {
                              started.countDown();
                              await(release);
                              throw new IllegalStateException("out of GPU memory");
                            }))));
    owner.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Outcome> second = runner.run(key, true, counted(() -> image));
    release.countDown();

    assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
        .hasRootCauseMessage("out of GPU memory");
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS).join())
        .hasRootCauseMessage("out of GPU memory");
    assertThat(calls).hasValue(1);
    assertThat(runner.inFlight()).isZero();
    assertThat(cache.map).isEmpty();

    assertThat(runner.run(key, true, counted(() -> image)).join())
        .isEqualTo(new Outcome(image, false, false));
    assertThat(calls).hasValue(2);
    owner.join(10_000);
  }

  @Test
  void run_afterASuccess_isACacheHit() {
    runner.run(key, true, counted(() -> image)).join();

    assertThat(runner.run(key, true, counted(() -> image)).join().cached()).isTrue();
    assertThat(calls).hasValue(1);
  }

  private Supplier<CachedImage> counted(Supplier<CachedImage> work) {
    return () -> {
      calls.incrementAndGet();
      return work.get();
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch was never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A map as the cache, counting lookups. */
  private static final class MapCache implements ResultCache {

    final Map<CacheKey, CachedImage> map = new ConcurrentHashMap<>();
    final AtomicInteger gets = new AtomicInteger();

    @Override
    public Optional<CachedImage> get(CacheKey key) {
      gets.incrementAndGet();
      return Optional.ofNullable(map.get(key));
    }

    @Override
    public void put(CacheKey key, CachedImage image) {
      map.put(key, image);
    }

    @Override
    public boolean invalidate(CacheKey key) {
      return map.remove(key) != null;
    }

    @Override
    public Stats stats() {
      return new Stats(0, 0, 0, 0);
    }
  }
}
