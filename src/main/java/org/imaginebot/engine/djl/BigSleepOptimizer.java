package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.List;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;

/**
 * The {@code adam} strategy: Big Sleep's loop. Each step renders the latents, cuts random crops,
 * scores them with CLIP, adds the latent regularizer, backpropagates to the latents and takes one
 * Adam step. Keeps the latents of the best-scoring step and renders them at the end.
 */
final class BigSleepOptimizer {

  /** Tuning that is not part of a user's request. */
  record Settings(int cutouts, double learningRate, int previewEvery) {
    Settings {
      if (cutouts < 1 || !(learningRate > 0) || previewEvery < 1) {
        throw new IllegalArgumentException(
            "bad optimizer settings: " + cutouts + ", " + learningRate + ", " + previewEvery);
      }
    }
  }

  private final ClipModel clip;
  private final LatentGenerator generator;
  private final Settings settings;

  BigSleepOptimizer(ClipModel clip, LatentGenerator generator, Settings settings) {
    this.clip = clip;
    this.generator = generator;
    this.settings = settings;
  }

  /**
   * Optimizes {@code latents} in place for {@code steps} steps.
   *
   * @param latents starting latents, owned by {@code run}; updated in place
   */
  GenerationResult run(
      NDManager run,
      PromptTargets targets,
      NDList latents,
      CutoutSource cutoutSource,
      int steps,
      ProgressListener listener,
      CancellationSignal cancel) {
    long started = System.nanoTime();
    AdamOptimizer adam = new AdamOptimizer(latents, settings.learningRate());
    NDList best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    double firstScore = Double.NaN;
    int bestStep = 0;
    for (int step = 1; step <= steps; step++) {
      cancel.throwIfCancelled(step - 1);
      try (NDManager scratch = run.newSubManager()) {
        List<Cutout> boxes = cutoutSource.next(generator.imageSize(), settings.cutouts());
        StepOutcome outcome = step(scratch, targets, latents, boxes, adam);
        if (step == 1) {
          firstScore = outcome.score();
        }
        if (outcome.score() > bestScore) {
          bestScore = outcome.score();
          bestStep = step;
          if (best != null) {
            best.close();
          }
          best = copy(outcome.latentsBefore(), run);
        }
        byte[] preview =
            step % settings.previewEvery() == 0 || step == steps
                ? Images.toPng(outcome.image())
                : null;
        listener.onProgress(new Progress(step, steps, outcome.loss(), outcome.score(), preview));
      }
    }
    byte[] png;
    try (NDManager scratch = run.newSubManager()) {
      png = Images.toPng(generator.render(copy(best, scratch), false));
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    return new GenerationResult(png, bestScore, bestStep, firstScore, steps, elapsed);
  }

  private record StepOutcome(double loss, double score, NDArray image, NDList latentsBefore) {}

  private StepOutcome step(
      NDManager scratch,
      PromptTargets targets,
      NDList latents,
      List<Cutout> boxes,
      AdamOptimizer adam) {
    NDList variables = new NDList(latents.size());
    for (NDArray latent : latents) {
      NDArray v = latent.duplicate();
      v.attach(scratch);
      v.setRequiresGradient(true);
      variables.add(v);
    }
    NDArray[] imageOut = new NDArray[1];
    NDList[] similarityOut = new NDList[1];
    NDArray loss =
        Autograd.recording(
            () -> {
              NDArray image = generator.render(variables, true);
              imageOut[0] = image;
              NDArray embeddings = clip.encodeImagesWithGrad(Cutouts.batch(image, boxes));
              NDList similarities = targets.similarities(embeddings);
              similarityOut[0] = similarities;
              return generator.regularizer(variables).add(targets.loss(similarities));
            });
    Autograd.backward(loss);
    NDList gradients = new NDList(variables.size());
    NDList before = new NDList(variables.size());
    for (NDArray v : variables) {
      gradients.add(v.getGradient());
      before.add(v.stopGradient());
    }
    double lossValue = loss.getFloat();
    double score = targets.score(similarityOut[0]);
    adam.step(latents, gradients);
    return new StepOutcome(lossValue, score, imageOut[0].stopGradient(), before);
  }

  private static NDList copy(NDList values, NDManager owner) {
    NDList copies = new NDList(values.size());
    for (NDArray v : values) {
      NDArray c = v.duplicate();
      c.attach(owner);
      copies.add(c);
    }
    return copies;
  }
}
