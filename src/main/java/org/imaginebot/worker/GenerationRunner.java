package org.imaginebot.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.cache.CoalescingRunner;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.cache.ResultCache;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.engine.RunState;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.provenance.RunStateChunk;
import org.imaginebot.render.ContactSheet;
import org.imaginebot.render.Png;
import org.imaginebot.request.CacheKey;
import org.imaginebot.request.GenerationRequest;

/**
 * Turns a request into a finished image the one way every caller (CLI, workers) must: the cache
 * first, at most one engine run per cache key at a time, the output size applied, the image stamped
 * with its {@link Provenance} and cached.
 */
public final class GenerationRunner {

  private final Engine engine;
  private final ResultCache cache;
  private final CoalescingRunner coalescing;
  private final Function<String, EngineFingerprint> fingerprintOfModel;
  private final ConcurrentMap<String, EngineFingerprint> fingerprints = new ConcurrentHashMap<>();
  private final Clock clock;

  /**
   * @param engine runs requests; a {@link LazyEngine} keeps cache hits free of model loading
   * @param fingerprintOfModel the engine fingerprint of a model id (see {@link
   *     EngineFingerprint#of}); asked once per model
   */
  public GenerationRunner(
      Engine engine,
      ResultCache cache,
      Function<String, EngineFingerprint> fingerprintOfModel,
      Clock clock) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.coalescing = new CoalescingRunner(cache);
    this.fingerprintOfModel = Objects.requireNonNull(fingerprintOfModel, "fingerprintOfModel");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public CacheKey keyOf(GenerationRequest request) {
    return CacheKey.of(request, fingerprintOf(request.model()).key());
  }

  /**
   * What the PNG of {@code request} records: the request and the engine (model files, settings)
   * this runner runs it with.
   */
  public Provenance provenance(GenerationRequest request) {
    return Provenance.of(request, fingerprintOf(request.model()));
  }

  /** The cached image for a typed or derived seed; always empty for a random seed. */
  public Optional<CachedImage> cached(GenerationRequest request) {
    return request.cacheable() ? cache.get(keyOf(request)) : Optional.empty();
  }

  /**
   * Removes the image of {@code request} from the cache (memory and disk), whatever its seed
   * source, so the next identical request runs the engine; true when there was one. A run of it
   * under way still caches its image when it ends.
   */
  public boolean evict(GenerationRequest request) {
    return cache.invalidate(keyOf(request));
  }

  /**
   * The image for {@code request}, from the cache, from an identical run under way, or from the
   * engine on this thread.
   *
   * @throws org.imaginebot.engine.GenerationCancelledException when cancelled between steps
   */
  public Outcome run(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    try {
      return coalescing
          .run(keyOf(request), request.cacheable(), () -> generate(request, listener, cancel))
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * As {@link #run}, but the engine runs even when the cache holds the image (its result is cached
   * as usual): for a re-make that must prove it reproduces, or a run whose previews are wanted.
   */
  public Outcome remake(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    try {
      return coalescing
          .run(keyOf(request), false, () -> generate(request, listener, cancel))
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Continues the run that made an image: {@code request} (as the image records it, steps {@code
   * state.step()}) goes on from {@code state} for {@code moreSteps} steps. The image is stamped
   * with the request of all the steps, {@code continued_from_steps} and its own state, so it can be
   * continued again; it is not cached (it is the image of the longer request, but made another
   * way).
   *
   * @throws UnsupportedOperationException when the engine cannot continue runs
   */
  public CachedImage resume(
      GenerationRequest request,
      RunState state,
      int moreSteps,
      ProgressListener listener,
      CancellationSignal cancel) {
    GenerationResult result = engine.resume(request, state, moreSteps, listener, cancel);
    GenerationRequest longer = request.withSteps(result.steps());
    return image(longer, result, provenance(longer).withContinuedFromSteps(state.step()));
  }

  private EngineFingerprint fingerprintOf(String model) {
    return fingerprints.computeIfAbsent(model, fingerprintOfModel);
  }

  private CachedImage generate(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    if (request.grid() != 0) {
      return sheet(request, listener, cancel);
    }
    if (request.continuedFrom() > 0) {
      GenerationRequest earlier = request.withSteps(request.continuedFrom());
      Optional<RunState> state = stateOf(earlier);
      if (state.isPresent()) {
        // The bytes of one run of all the steps, so cached as the plain request's image.
        GenerationResult result =
            engine.resume(
                earlier, state.get(), request.steps() - earlier.steps(), listener, cancel);
        return image(request, result, provenance(request));
      }
      // Gone from the cache: the same image from the start (or from the origin), slower.
    }
    if (request.origin() != null) {
      return reprompt(request, listener, cancel);
    }
    GenerationResult result = engine.generate(request, listener, cancel);
    return image(request, result, provenance(request));
  }

  /**
   * A re-prompt: the origin's final state (from the cache, else by running the origin, which caches
   * it; also when the cached image predates states) goes on under the new prompts; progress counts
   * the origin's steps too.
   */
  private CachedImage reprompt(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    GenerationRequest origin = request.origin();
    RunState state =
        stateOf(origin)
            .orElseGet(
                () ->
                    RunStateChunk.read(
                            remake(origin, rescaled(listener, 0, request.steps()), cancel)
                                .image()
                                .png())
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    "the run a re-prompt goes on from left no state")));
    GenerationResult result =
        engine.resume(
            request.detached(origin.steps()),
            state.forNewObjective(),
            request.steps() - origin.steps(),
            listener,
            cancel);
    return image(request, result, provenance(request));
  }

  /**
   * A contact sheet: each candidate is run (or found in the cache) as an image of its own, cached
   * with its state so Refine can go on from it, then the four are put on one 2x2 sheet.
   */
  private CachedImage sheet(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    long started = System.nanoTime();
    int each = request.candidateSteps();
    List<byte[]> cells = new ArrayList<>();
    CachedImage best = null;
    for (int i = 0; i < request.grid(); i++) {
      CachedImage candidate =
          run(request.candidate(i), rescaled(listener, i * each, request.grid() * each), cancel)
              .image();
      cells.add(candidate.png());
      if (best == null || candidate.clipScore() > best.clipScore()) {
        best = candidate;
      }
    }
    byte[] png = provenance(request).stamp(ContactSheet.compose(cells));
    return new CachedImage(
        png,
        best.clipScore(),
        best.bestStep(),
        request.steps(),
        request.seed(),
        request.model(),
        request.strategy().id(),
        clock.instant(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /** The final state cached with the image of {@code request}, whatever its seed source. */
  private Optional<RunState> stateOf(GenerationRequest request) {
    try {
      return cache.get(keyOf(request)).flatMap(image -> RunStateChunk.read(image.png()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a damaged or older state: made again
    }
  }

  /** Progress of one part of a longer run: steps shifted by {@code offset}, of {@code total}. */
  private static ProgressListener rescaled(ProgressListener listener, int offset, int total) {
    return p ->
        listener.onProgress(
            new Progress(p.step() + offset, total, p.loss(), p.clipScore(), p.previewPng()));
  }

  private CachedImage image(
      GenerationRequest request, GenerationResult result, Provenance provenance) {
    byte[] png =
        request.size() == GenerationRequest.NATIVE_SIZE
            ? result.png()
            : Png.resize(result.png(), request.size());
    // Stamped before caching: a cache hit returns these bytes, chunks included. The state first,
    // so the provenance chunk comes first, as it does again when it is re-stamped (a parent).
    if (result.state().isPresent()) {
      png = RunStateChunk.stamp(png, result.state().get());
    }
    png = provenance.stamp(png);
    return new CachedImage(
        png,
        result.clipScore(),
        result.bestStep(),
        request.steps(),
        request.seed(),
        request.model(),
        request.strategy().id(),
        clock.instant(),
        result.elapsed().toMillis());
  }
}
