package org.imaginebot.request;

import java.nio.ByteBuffer;

/**
 * The seed of a request that names none: the first 53 bits of the SHA-256 of its canonical form
 * (prompts and negatives with their weights, image prompts, model, strategy, steps and size, as
 * {@link CacheKey} normalizes them; not the seed itself, the variation or the engine).
 *
 * <p>So the same {@code /imagine a red bicycle} typed twice gets the same seed, hence the same
 * cache key, and the second is answered from the cache instead of running the GPU again. 53 bits
 * keep it within the seeds a user can type back ({@link RequestParser#MAX_SEED}).
 */
public final class DerivedSeed {

  /** Bumped when the canonical form changes (every derived seed changes with it). */
  private static final String VERSION = "imagine-bot/derived-seed/1";

  private DerivedSeed() {}

  /** The derived seed of {@code request}, from 0 to {@link RequestParser#MAX_SEED}. */
  public static long of(GenerationRequest request) {
    StringBuilder sb = new StringBuilder(VERSION).append('\n');
    CacheKey.promptLines(request).forEach(sb::append);
    sb.append(CacheKey.field("model", request.model()))
        .append(CacheKey.field("strategy", request.strategy().id()))
        .append(CacheKey.field("steps", Integer.toString(request.steps())))
        .append(CacheKey.field("size", Integer.toString(request.size())));
    return ByteBuffer.wrap(CacheKey.sha256(sb.toString())).getLong() >>> 11;
  }
}
