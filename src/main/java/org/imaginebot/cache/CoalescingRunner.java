package org.imaginebot.cache;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.imaginebot.request.CacheKey;

/**
 * Runs a generation at most once per {@link CacheKey} at a time, serving cached images first.
 *
 * <p>For a cacheable request the cache is asked first; a hit is returned at once and the work is
 * not called. Otherwise the first caller of a key runs the work <em>synchronously on its own
 * thread</em> ({@code run} returns a completed future), while callers of the same key arriving
 * meanwhile get a future that completes with the first caller's image ({@code shared = true}), or
 * with its failure. The result is put in the cache, and the key is free again as soon as the work
 * ends, so a failed key can be retried.
 *
 * <p>A request without an explicit seed is not cacheable: a "re-roll" must give a new image, so it
 * neither reads the cache nor joins another caller's run. Its image is still written, because its
 * random seed makes its key unique and asking for that seed again later should be a cache hit.
 */
public final class CoalescingRunner {

  private final ResultCache cache;
  private final ConcurrentMap<CacheKey, CompletableFuture<CachedImage>> inFlight =
      new ConcurrentHashMap<>();

  public CoalescingRunner(ResultCache cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  /**
   * The image for {@code key}: from the cache, from a run of the same key under way, or from {@code
   * work} run on this thread.
   *
   * @param cacheable false for a request without an explicit seed: no cache read, no sharing
   * @param work generates the image; its exception fails this caller and every one sharing it
   */
  public CompletableFuture<Outcome> run(
      CacheKey key, boolean cacheable, Supplier<CachedImage> work) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(work, "work");
    if (!cacheable) {
      return generate(key, work, null);
    }
    Optional<Outcome> hit = cached(key);
    if (hit.isPresent()) {
      return CompletableFuture.completedFuture(hit.get());
    }
    CompletableFuture<CachedImage> mine = new CompletableFuture<>();
    CompletableFuture<CachedImage> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running.thenApply(image -> new Outcome(image, false, true));
    }
    // Another caller may have finished between the lookup and putIfAbsent; ask once more.
    hit = cached(key);
    if (hit.isPresent()) {
      inFlight.remove(key, mine);
      mine.complete(hit.get().image());
      return CompletableFuture.completedFuture(hit.get());
    }
    return generate(key, work, mine);
  }

  /** Keys whose work is running now. */
  public int inFlight() {
    return inFlight.size();
  }

  private Optional<Outcome> cached(CacheKey key) {
    return cache.get(key).map(image -> new Outcome(image, true, false));
  }

  /**
   * Runs {@code work}, caches its image, then frees the key and completes {@code shared} if set.
   */
  private CompletableFuture<Outcome> generate(
      CacheKey key, Supplier<CachedImage> work, CompletableFuture<CachedImage> shared) {
    CachedImage image;
    try {
      image = Objects.requireNonNull(work.get(), "work returned no image");
    } catch (RuntimeException | Error e) {
      if (shared != null) {
        inFlight.remove(key, shared);
        shared.completeExceptionally(e);
      }
      if (e instanceof Error error) {
        throw error;
      }
      return CompletableFuture.failedFuture(e);
    }
    // Cache before freeing the key, so a caller arriving now finds either the run or the image.
    cache.put(key, image);
    if (shared != null) {
      inFlight.remove(key, shared);
      shared.complete(image);
    }
    return CompletableFuture.completedFuture(new Outcome(image, false, false));
  }

  /**
   * What {@link #run} produced.
   *
   * @param image the image
   * @param cached true when it came from the cache and no work ran
   * @param shared true when another caller's run of the same key produced it
   */
  public record Outcome(CachedImage image, boolean cached, boolean shared) {}
}
