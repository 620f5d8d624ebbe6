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
 * @param grid 0 for one image; {@value #GRID} for a contact sheet: {@value #GRID} candidates
 *     ({@link #candidate}) of a quarter of the steps each, shown 2x2 in one PNG
 * @param origin null, or the run this one goes on from with other prompts (a re-prompt, as
 *     big-sleep's {@code set_text}): steps {@code origin.steps() + 1} to {@code steps} start from
 *     the final latents and Adam state of {@code origin}'s run; part of what makes the pixels
 * @param continuedFrom 0, or the steps of this request's own run (same request, fewer steps) that
 *     the worker may go on from when it finds that image, with its state, in the cache: a hint, not
 *     part of the pixels, since a run continued from step k gives the bytes of one run of all its
 *     steps
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
    List<ImagePrompt> images,
    int grid,
    GenerationRequest origin,
    int continuedFrom) {

  /** Candidates on a contact sheet. */
  public static final int GRID = 4;

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
    if (grid != 0 && grid != GRID) {
      throw new IllegalArgumentException("grid must be 0 or " + GRID + ", got " + grid);
    }
    if (grid != 0 && (strategy != Strategy.ADAM || origin != null || continuedFrom != 0)) {
      throw new IllegalArgumentException(
          "a contact sheet is of adam runs from their own start, not " + strategy.id());
    }
    if (origin != null) {
      if (strategy != Strategy.ADAM
          || origin.strategy != Strategy.ADAM
          || origin.grid != 0
          || !origin.model.equals(model)
          || !origin.images.isEmpty()
          || origin.steps >= steps) {
        throw new IllegalArgumentException(
            "a re-prompt goes on from an adam run of the same model with fewer steps and no image prompts");
      }
    }
    if (continuedFrom < 0 || continuedFrom >= steps) {
      throw new IllegalArgumentException(
          "continuedFrom must be 0 to steps - 1, got " + continuedFrom + " of " + steps);
    }
    if (continuedFrom > 0
        && (strategy != Strategy.ADAM || (origin != null && continuedFrom <= origin.steps))) {
      throw new IllegalArgumentException(
          "only an adam run can be continued, from after its origin, got " + continuedFrom);
    }
  }

  /** A request of one image, not re-prompted, to be run from its start. */
  public GenerationRequest(
      List<WeightedPrompt> prompts,
      String model,
      Strategy strategy,
      int steps,
      long seed,
      int size,
      SeedSource seedSource,
      int variation,
      List<ImagePrompt> images) {
    this(prompts, model, strategy, steps, seed, size, seedSource, variation, images, 0, null, 0);
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
        prompts,
        model,
        strategy,
        steps,
        newSeed,
        size,
        explicit ? SeedSource.TYPED : SeedSource.RANDOM,
        0,
        images,
        grid,
        null,
        0);
  }

  /**
   * The same request with the seed derived from it ({@link DerivedSeed}), so a repeat finds its
   * image.
   */
  public GenerationRequest withDerivedSeed() {
    return new GenerationRequest(
        prompts,
        model,
        strategy,
        steps,
        DerivedSeed.of(this),
        size,
        SeedSource.DERIVED,
        variation,
        images,
        grid,
        origin,
        continuedFrom);
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
        prompts,
        model,
        strategy,
        newSteps,
        seed,
        size,
        seedSource,
        variation,
        images,
        grid,
        origin,
        0);
  }

  /**
   * This request, to be run by going on from its own run of {@code steps} steps when the worker
   * finds that image in the cache (0: from the start).
   */
  public GenerationRequest withContinuedFrom(int steps) {
    return new GenerationRequest(
        prompts,
        model,
        strategy,
        this.steps,
        seed,
        size,
        seedSource,
        variation,
        images,
        grid,
        origin,
        steps);
  }

  /** The {@code n}-th variation of this request's image (same seed, nudged start). */
  public GenerationRequest withVariation(int n) {
    return new GenerationRequest(
        prompts, model, strategy, steps, seed, size, seedSource, n, images, grid, null, 0);
  }

  /**
   * This request's prompts and settings with {@code newSteps} steps, as a run of its own from the
   * start (no origin, nothing to continue from): what a re-prompt's engine part is told it goes on
   * from.
   */
  public GenerationRequest detached(int newSteps) {
    return new GenerationRequest(
        prompts,
        model,
        strategy,
        newSteps,
        seed,
        size,
        seedSource,
        variation,
        images,
        grid,
        null,
        0);
  }

  /** This request as a contact sheet ({@code grid} {@value #GRID}) or as one image (0). */
  public GenerationRequest withGrid(int newGrid) {
    return new GenerationRequest(
        prompts,
        model,
        strategy,
        steps,
        seed,
        size,
        seedSource,
        variation,
        images,
        newGrid,
        origin,
        continuedFrom);
  }

  /**
   * Candidate {@code i} (0-based) of this contact sheet: one image of seed {@code seed + i}, run
   * for a quarter of the steps (at least one), with this sheet's seed source.
   */
  public GenerationRequest candidate(int i) {
    if (grid == 0 || i < 0 || i >= grid) {
      throw new IllegalArgumentException("no candidate " + i + " on a request of grid " + grid);
    }
    return new GenerationRequest(
        prompts,
        model,
        strategy,
        candidateSteps(),
        seed + i,
        size,
        seedSource,
        variation,
        images,
        0,
        null,
        0);
  }

  /**
   * The steps this request's own part runs: all of them, less those of the run it goes on from (its
   * origin, or its own shorter run when {@code continuedFrom} is set). What a server's step limit
   * is compared with, and what a "+N steps" button adds again.
   */
  public int ownSteps() {
    return steps - Math.max(continuedFrom, origin == null ? 0 : origin.steps);
  }

  /** Steps of each candidate of a contact sheet: a quarter of the steps, at least one. */
  public int candidateSteps() {
    return Math.max(1, steps / 4);
  }

  /**
   * {@code newPrompts} going on from this (adam, single-image) run for {@code moreSteps} steps: a
   * re-prompt, same model, seed and size.
   */
  public GenerationRequest reprompted(List<WeightedPrompt> newPrompts, int moreSteps) {
    return new GenerationRequest(
        newPrompts,
        model,
        strategy,
        steps + moreSteps,
        seed,
        size,
        seedSource == SeedSource.DERIVED ? SeedSource.TYPED : seedSource,
        variation,
        List.of(),
        0,
        withContinuedFrom(0), // how the origin was made is not part of it
        0);
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
            prompts,
            model,
            strategy,
            steps,
            seed,
            size,
            seedSource,
            variation,
            all,
            grid,
            origin,
            continuedFrom);
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
