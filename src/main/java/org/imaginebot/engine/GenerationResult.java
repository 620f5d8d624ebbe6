package org.imaginebot.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a run: the best image and how it was reached.
 *
 * @param png the image with the best CLIP score seen during the run
 * @param clipScore that image's weighted CLIP score
 * @param bestStep the step that produced it (1-based)
 * @param initialClipScore the CLIP score of the first step, to show what the run gained
 * @param steps steps run
 * @param elapsed wall time of the run, model loading excluded
 * @param state where the run stopped, for {@link Engine#resume}: present for {@code adam} runs,
 *     empty for {@code search}, {@code auto} and {@code evolve}
 */
public record GenerationResult(
    byte[] png,
    double clipScore,
    int bestStep,
    double initialClipScore,
    int steps,
    Duration elapsed,
    Optional<RunState> state) {

  public GenerationResult {
    Objects.requireNonNull(state, "state");
  }

  /** A result that cannot be continued. */
  public GenerationResult(
      byte[] png,
      double clipScore,
      int bestStep,
      double initialClipScore,
      int steps,
      Duration elapsed) {
    this(png, clipScore, bestStep, initialClipScore, steps, elapsed, Optional.empty());
  }
}
