package org.imaginebot.request;

import java.util.List;

/**
 * Everything that decides the pixels of one generated image.
 *
 * <p>Same request on the same model files and device gives the same image bits: that is what makes
 * the result cache honest. At least one prompt must have a positive weight.
 *
 * @param prompts weighted prompts, negatives included (weight below zero)
 * @param model model id from the manifest (the generator; it names its CLIP model)
 * @param strategy how to search the latent space
 * @param steps optimizer steps for {@code adam}, candidates for {@code search}
 * @param seed seed of every random choice (initial latents, cutouts, candidates)
 * @param size side of the output image in pixels; {@link #NATIVE_SIZE} keeps the generator's own
 * @param seedSource typed by the user, derived from the request, or random; only a random seed (a
 *     re-roll, {@code --seed random}) keeps the request from being answered from the cache
 * @param variation 0 for the image of this seed; n > 0 for its n-th variation: the same starting
 *     latents nudged by a little noise of their own, so the result resembles the original
 * @param images image prompts, whose CLIP image embeddings join the text prompts' in the loss
 */
public record GenerationRequest(
    List<WeightedPrompt> prompts,
    String model,
    Strategy strategy,
    int steps,
    long seed,
    int size,
    SeedSource seedSource,
    int variation,
    List<ImagePrompt> images) {

  /** Image prompts one request may carry. */
  public static final int MAX_IMAGES = 4;

  /** {@code size} value meaning "the generator's own resolution". */
  public static final int NATIVE_SIZE = 0;

  /** Largest output side accepted, in pixels; settings may allow less. */
  public static final int MAX_SIZE = 2048;

  public GenerationRequest {
    prompts = List.copyOf(prompts);
    if (prompts.stream().noneMatch(p -> !p.isNegative())) {
      throw new IllegalArgumentException("at least one prompt must have a positive weight");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model may not be blank");
    }
    if (strategy == null) {
      throw new IllegalArgumentException("strategy may not be null");
    }
    if (seedSource == null) {
      throw new IllegalArgumentException("seedSource may not be null");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    if (size != NATIVE_SIZE && (size < 16 || size > MAX_SIZE)) {
      throw new IllegalArgumentException(
          "size must be between 16 and " + MAX_SIZE + " pixels, got " + size);
    }
    if (variation < 0) {
      throw new IllegalArgumentException("variation must be 0 or more, got " + variation);
    }
    images = List.copyOf(images);
    if (images.size() > MAX_IMAGES) {
      throw new IllegalArgumentException(
          "at most " + MAX_IMAGES + " image prompts, got " + images.size());
    }
  }

  /**
   * A request whose seed is typed ({@code explicitSeed}) or random; how stored jobs written before
   * derived seeds existed are read back.
   */
  public GenerationRequest(
      List<WeightedPrompt> prompts,
      String model,
      Strategy strategy,
      int steps,
      long seed,
      int size,
      boolean explicitSeed,
      int variation,
      List<ImagePrompt> images) {
    this(
        prompts,
        model,
        strategy,
        steps,
        seed,
        size,
        explicitSeed ? SeedSource.TYPED : SeedSource.RANDOM,
        variation,
        images);
  }

  /** A request without image prompts. */
  public GenerationRequest(
      List<WeightedPrompt> prompts,
      String model,
      Strategy strategy,
      int steps,
      long seed,
      int size,
      boolean explicitSeed,
      int variation) {
    this(prompts, model, strategy, steps, seed, size, explicitSeed, variation, List.of());
  }

  /** The request for the image of this seed itself (no variation). */
  public GenerationRequest(
      List<WeightedPrompt> prompts,
      String model,
      Strategy strategy,
      int steps,
      long seed,
      int size,
      boolean explicitSeed) {
    this(prompts, model, strategy, steps, seed, size, explicitSeed, 0);
  }

  /** A request at the generator's own size with a seed the user chose. */
  public GenerationRequest(
      List<WeightedPrompt> prompts, String model, Strategy strategy, int steps, long seed) {
    this(prompts, model, strategy, steps, seed, NATIVE_SIZE, true, 0);
  }

  /** The same request with another seed, e.g. a re-roll ({@code explicit = false}). */
  public GenerationRequest withSeed(long newSeed, boolean explicit) {
    return new GenerationRequest(
        prompts, model, strategy, steps, newSeed, size, explicit, 0, images);
  }

  /**
   * The same request with the seed derived from it ({@link DerivedSeed}), so a repeat finds its
   * image.
   */
  public GenerationRequest withDerivedSeed() {
    GenerationRequest unseeded =
        new GenerationRequest(
            prompts, model, strategy, steps, 0, size, SeedSource.DERIVED, variation, images);
    return new GenerationRequest(
        prompts,
        model,
        strategy,
        steps,
        DerivedSeed.of(unseeded),
        size,
        SeedSource.DERIVED,
        variation,
        images);
  }

  /**
   * True when the image of this request may be served from, and is written to, the result cache.
   */
  public boolean cacheable() {
    return seedSource.cacheable();
  }

  /**
   * The same request with {@code newSteps} steps and the same seed (a derived seed is kept, not
   * derived again): a continued run's request.
   */
  public GenerationRequest withSteps(int newSteps) {
    return new GenerationRequest(
        prompts, model, strategy, newSteps, seed, size, seedSource, variation, images);
  }

  /** The {@code n}-th variation of this request's image (same seed, nudged start). */
  public GenerationRequest withVariation(int n) {
    return new GenerationRequest(
        prompts, model, strategy, steps, seed, size, seedSource, n, images);
  }

  /**
   * This request with image prompts added; a derived seed is derived again, as the images are part
   * of it.
   */
  public GenerationRequest withImages(List<ImagePrompt> imagePrompts) {
    List<ImagePrompt> all = new java.util.ArrayList<>(images);
    all.addAll(imagePrompts);
    GenerationRequest withAll =
        new GenerationRequest(
            prompts, model, strategy, steps, seed, size, seedSource, variation, all);
    return seedSource == SeedSource.DERIVED ? withAll.withDerivedSeed() : withAll;
  }

  /** The positive prompts joined as a user would read them. */
  public String describePrompt() {
    StringBuilder sb = new StringBuilder();
    for (WeightedPrompt p : prompts) {
      if (!sb.isEmpty()) {
        sb.append(" | ");
      }
      sb.append(p.text());
      if (p.weight() != 1.0) {
        sb.append(':').append(p.weight());
      }
    }
    return sb.toString();
  }
}
