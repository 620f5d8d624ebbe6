package org.imaginebot.request;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * One request line as the user typed it, before this bot's defaults and limits are applied: what
 * {@link RequestParser#parse} returns.
 *
 * <p>Options the user left out are empty. Limits that do not depend on settings are already checked
 * (seed from 0 to {@link RequestParser#MAX_SEED}, steps at least 1, size at least {@value
 * RequestBounds#MIN_SIZE}); {@link #resolve} checks the rest against {@link RequestBounds}.
 *
 * @param prompts weighted prompts, the {@code --no} negatives last (weight below zero)
 * @param seed {@code --seed}, if given
 * @param steps {@code --steps}, if given
 * @param size {@code --size} in pixels, if given
 * @param model {@code --model}, if given
 * @param strategy {@code --strategy}, if given
 * @param freshSeed {@code --seed random}: a new random seed even where seeds are derived from the
 *     request
 * @param grid {@code --grid}, if given: {@value GenerationRequest#GRID} for a contact sheet, 1 for
 *     one image
 */
public record ParsedRequest(
    List<WeightedPrompt> prompts,
    OptionalLong seed,
    OptionalInt steps,
    OptionalInt size,
    Optional<String> model,
    Optional<Strategy> strategy,
    boolean freshSeed,
    OptionalInt grid) {

  /** A request line without {@code --grid}. */
  public ParsedRequest(
      List<WeightedPrompt> prompts,
      OptionalLong seed,
      OptionalInt steps,
      OptionalInt size,
      Optional<String> model,
      Optional<Strategy> strategy,
      boolean freshSeed) {
    this(prompts, seed, steps, size, model, strategy, freshSeed, OptionalInt.empty());
  }

  public ParsedRequest {
    prompts = List.copyOf(prompts);
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(steps, "steps");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(strategy, "strategy");
    if (prompts.stream().noneMatch(p -> !p.isNegative())) {
      throw new RequestException(
          "at least one prompt must have a positive weight: --no and negative weights only say what to avoid",
          "");
    }
    if (seed.isPresent()) {
      checkSeed(seed.getAsLong(), Long.toString(seed.getAsLong()));
    }
    if (steps.isPresent()) {
      checkSteps(steps.getAsInt(), Integer.MAX_VALUE, Integer.toString(steps.getAsInt()));
    }
    if (size.isPresent()) {
      checkSize(size.getAsInt(), Integer.MAX_VALUE, Integer.toString(size.getAsInt()));
    }
    if (freshSeed && seed.isPresent()) {
      throw new RequestException(
          "ask for one seed or for a fresh one, not both: --seed N repeats an image, --seed random makes a new one",
          "--seed");
    }
    Objects.requireNonNull(grid, "grid");
    if (grid.isPresent() && grid.getAsInt() != 1 && grid.getAsInt() != GenerationRequest.GRID) {
      throw new RequestException(
          "--grid "
              + grid.getAsInt()
              + " is not offered: use --grid "
              + GenerationRequest.GRID
              + " for "
              + GenerationRequest.GRID
              + " seeds on one contact sheet, or leave it out for one image",
          Integer.toString(grid.getAsInt()));
    }
    if (model.isPresent() && model.get().isBlank()) {
      throw new RequestException("option --model needs a value: a model id", "--model");
    }
  }

  /**
   * The request to generate, with this bot's defaults for options left out.
   *
   * <p>Steps must be from 1 to {@code bounds.maxSteps()} and size from {@value
   * RequestBounds#MIN_SIZE} to {@code bounds.maxSize()}; without {@code --size} the generator's own
   * size is kept. Without {@code --seed} the seed is {@link DerivedSeed derived} from the request
   * when {@code bounds.deriveSeed()}, so a repeat is served from the cache; with {@code --seed
   * random}, or when seeds are not derived, it comes from {@code randomSeed}, cut to its low 53
   * bits so that a user can type it back, and the request is marked {@link SeedSource#RANDOM}.
   *
   * @throws RequestException naming the option when a value is out of range
   */
  public GenerationRequest resolve(RequestBounds bounds, LongSupplier randomSeed) {
    Objects.requireNonNull(bounds, "bounds");
    Objects.requireNonNull(randomSeed, "randomSeed");
    int chosenSteps = bounds.defaultSteps();
    if (steps.isPresent()) {
      chosenSteps = steps.getAsInt();
      checkSteps(chosenSteps, bounds.maxSteps(), Integer.toString(chosenSteps));
    }
    int chosenSize = GenerationRequest.NATIVE_SIZE;
    if (size.isPresent()) {
      chosenSize = size.getAsInt();
      checkSize(chosenSize, bounds.maxSize(), Integer.toString(chosenSize));
    }
    SeedSource source =
        seed.isPresent()
            ? SeedSource.TYPED
            : bounds.deriveSeed() && !freshSeed ? SeedSource.DERIVED : SeedSource.RANDOM;
    long chosenSeed =
        switch (source) {
          case TYPED -> seed.getAsLong();
          case RANDOM -> randomSeed.getAsLong() & RequestParser.MAX_SEED;
          case DERIVED -> 0; // replaced below, once the request it is derived from exists
        };
    Strategy chosenStrategy = strategy.orElse(bounds.defaultStrategy());
    // A saved grid applies only where it can (adam); a --grid given is checked below.
    int chosenGrid =
        grid.isPresent()
            ? (grid.getAsInt() == GenerationRequest.GRID ? GenerationRequest.GRID : 0)
            : chosenStrategy == Strategy.ADAM ? bounds.defaultGrid() : 0;
    if (chosenGrid != 0 && chosenStrategy != Strategy.ADAM) {
      throw new RequestException(
          "--grid "
              + GenerationRequest.GRID
              + " makes a contact sheet of adam runs (so Refine can go on from one): use --strategy"
              + " adam, or leave --grid out for one "
              + chosenStrategy.id()
              + " image",
          "--grid");
    }
    try {
      GenerationRequest request =
          new GenerationRequest(
              prompts,
              model.orElse(bounds.defaultModel()),
              chosenStrategy,
              chosenSteps,
              chosenSeed,
              chosenSize,
              source,
              0,
              List.of(),
              chosenGrid,
              null,
              0);
      return source == SeedSource.DERIVED ? request.withDerivedSeed() : request;
    } catch (RequestException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new RequestException(e.getMessage(), "", e);
    }
  }

  static void checkSeed(long value, String typed) {
    if (value < 0 || value > RequestParser.MAX_SEED) {
      throw new RequestException(
          "--seed "
              + Echo.of(typed)
              + " is out of range: use 0 to "
              + RequestParser.MAX_SEED
              + " (2^53-1, the largest seed every chat platform can carry)",
          typed);
    }
  }

  static void checkSteps(long value, int max, String typed) {
    if (value < 1 || value > max) {
      String allowed = max == Integer.MAX_VALUE ? "1 or more" : "1 to " + max;
      throw new RequestException(
          "--steps " + Echo.of(typed) + " is out of range: use " + allowed, typed);
    }
  }

  static void checkSize(long value, int max, String typed) {
    if (value < RequestBounds.MIN_SIZE || value > max) {
      String allowed =
          max == Integer.MAX_VALUE
              ? RequestBounds.MIN_SIZE + " or more pixels"
              : RequestBounds.MIN_SIZE + " to " + max + " pixels";
      throw new RequestException(
          "--size "
              + Echo.of(typed)
              + " is out of range: use "
              + allowed
              + ", or leave --size out for the model's own size",
          typed);
    }
  }
}
