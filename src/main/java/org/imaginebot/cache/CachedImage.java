package org.imaginebot.cache;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A finished image as the cache keeps it: the PNG and what a reply shows about it.
 *
 * <p>The PNG is copied in and out, so no caller can change a cached image. Equality compares the
 * PNG's bytes.
 *
 * @param png the encoded image, not empty
 * @param clipScore the weighted CLIP score of the best step
 * @param bestStep the step whose latents were rendered
 * @param steps steps (or candidates) the request asked for
 * @param seed the seed that was used
 * @param model the generator's model id
 * @param strategy the strategy id, e.g. {@code adam}
 * @param createdAt when the image was generated; the TTL counts from here
 * @param generationMillis how long the generation took
 */
public record CachedImage(
    byte[] png,
    double clipScore,
    int bestStep,
    int steps,
    long seed,
    String model,
    String strategy,
    Instant createdAt,
    long generationMillis) {

  public CachedImage {
    if (png == null || png.length == 0) {
      throw new IllegalArgumentException("png must not be empty");
    }
    png = png.clone();
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A copy of the PNG bytes. */
  @Override
  public byte[] png() {
    return png.clone();
  }

  /** This image with other PNG bytes (the same pixels re-stamped, say); the rest unchanged. */
  public CachedImage withPng(byte[] newPng) {
    return new CachedImage(
        newPng, clipScore, bestStep, steps, seed, model, strategy, createdAt, generationMillis);
  }

  /** The PNG's length in bytes, without copying it. */
  public int pngSize() {
    return png.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedImage c
        && Arrays.equals(png, c.png)
        && Double.compare(clipScore, c.clipScore) == 0
        && bestStep == c.bestStep
        && steps == c.steps
        && seed == c.seed
        && model.equals(c.model)
        && strategy.equals(c.strategy)
        && createdAt.equals(c.createdAt)
        && generationMillis == c.generationMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(png),
        clipScore,
        bestStep,
        steps,
        seed,
        model,
        strategy,
        createdAt,
        generationMillis);
  }

  @Override
  public String toString() {
    return "CachedImage[png="
        + png.length
        + " bytes, clipScore="
        + clipScore
        + ", bestStep="
        + bestStep
        + ", steps="
        + steps
        + ", seed="
        + seed
        + ", model="
        + model
        + ", strategy="
        + strategy
        + ", createdAt="
        + createdAt
        + ", generationMillis="
        + generationMillis
        + "]";
  }
}
