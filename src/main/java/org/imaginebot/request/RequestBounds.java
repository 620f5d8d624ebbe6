package org.imaginebot.request;

/**
 * What this bot allows and assumes when a user leaves an option out, used by {@link
 * ParsedRequest#resolve}.
 *
 * @param defaultModel model id used when {@code --model} is absent
 * @param defaultStrategy strategy used when {@code --strategy} is absent
 * @param defaultSteps steps used when {@code --steps} is absent; from 1 to {@code maxSteps}
 * @param maxSteps largest {@code --steps} accepted; at least 1
 * @param maxSize largest {@code --size} accepted in pixels; from 16 to {@link
 *     GenerationRequest#MAX_SIZE}
 * @param deriveSeed true when a request without {@code --seed} gets the seed {@link DerivedSeed
 *     derived} from it, so a repeat is answered from the cache ({@code cache.seedFromPrompt});
 *     false: a random one
 * @param defaultGrid grid used when {@code --grid} is absent: 0 (one image) or {@link
 *     GenerationRequest#GRID}, which applies only where the strategy is {@code adam}
 */
public record RequestBounds(
    String defaultModel,
    Strategy defaultStrategy,
    int defaultSteps,
    int maxSteps,
    int maxSize,
    boolean deriveSeed,
    int defaultGrid) {

  /** Bounds whose requests are one image unless they ask for a sheet. */
  public RequestBounds(
      String defaultModel,
      Strategy defaultStrategy,
      int defaultSteps,
      int maxSteps,
      int maxSize,
      boolean deriveSeed) {
    this(defaultModel, defaultStrategy, defaultSteps, maxSteps, maxSize, deriveSeed, 0);
  }

  /** Smallest output side accepted, in pixels. */
  public static final int MIN_SIZE = 16;

  public RequestBounds {
    if (defaultModel == null || defaultModel.isBlank()) {
      throw new IllegalArgumentException("defaultModel may not be blank");
    }
    if (defaultStrategy == null) {
      throw new IllegalArgumentException("defaultStrategy may not be null");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps);
    }
    if (defaultSteps < 1 || defaultSteps > maxSteps) {
      throw new IllegalArgumentException(
          "defaultSteps must be from 1 to maxSteps (" + maxSteps + "), got " + defaultSteps);
    }
    if (defaultGrid != 0 && defaultGrid != GenerationRequest.GRID) {
      throw new IllegalArgumentException(
          "defaultGrid must be 0 or " + GenerationRequest.GRID + ", got " + defaultGrid);
    }
    if (maxSize < MIN_SIZE || maxSize > GenerationRequest.MAX_SIZE) {
      throw new IllegalArgumentException(
          "maxSize must be from "
              + MIN_SIZE
              + " to "
              + GenerationRequest.MAX_SIZE
              + ", got "
              + maxSize);
    }
  }
}
