package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.engine.RunState;

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
  private final PhaseTimer phases;

  BigSleepOptimizer(ClipModel clip, LatentGenerator generator, Settings settings) {
    this(clip, generator, settings, PhaseTimer.OFF);
  }

  /** With {@code phases} timing each step's phases (for {@code bench engine}). */
  BigSleepOptimizer(
      ClipModel clip, LatentGenerator generator, Settings settings, PhaseTimer phases) {
    this.clip = clip;
    this.generator = generator;
    this.settings = settings;
    this.phases = phases;
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
    return loop(
        run,
        targets,
        latents,
        adam,
        new Best(null, Double.NEGATIVE_INFINITY, 0, Double.NaN),
        cutoutSource,
        steps,
        listener,
        cancel,
        started);
  }

  /**
   * Goes on from {@code state} for {@code moreSteps} steps, as if the run that made it had been
   * asked for {@code state.step() + moreSteps} steps: the same latents, Adam moments and step
   * count, best so far, and the cutouts {@code cutoutSource} gives after the {@code state.step()}
   * draws of the first part (replayed here, so they depend only on the source's seed and the step).
   *
   * @throws IllegalArgumentException when the state's arrays do not fit this generator
   */
  GenerationResult resume(
      NDManager run,
      PromptTargets targets,
      RunState state,
      CutoutSource cutoutSource,
      int moreSteps,
      ProgressListener listener,
      CancellationSignal cancel) {
    if (moreSteps < 0) {
      throw new IllegalArgumentException("more steps must be at least 0, got " + moreSteps);
    }
    long started = System.nanoTime();
    List<Shape> shapes = new ArrayList<>();
    try (NDManager scratch = run.newSubManager()) {
      for (NDArray latent : generator.initialLatents(scratch, new Random(0))) {
        shapes.add(latent.getShape());
      }
    }
    NDList latents = restore(run, state, LATENT, shapes);
    NDList best = restore(run, state, BEST, shapes);
    AdamOptimizer adam =
        new AdamOptimizer(
            settings.learningRate(),
            restore(run, state, FIRST_MOMENT, shapes),
            restore(run, state, SECOND_MOMENT, shapes),
            state.step());
    for (int step = 1; step <= state.step(); step++) {
      cutoutSource.next(generator.imageSize(), settings.cutouts());
    }
    return loop(
        run,
        targets,
        latents,
        adam,
        new Best(best, state.bestScore(), state.bestStep(), state.initialScore()),
        cutoutSource,
        state.step() + moreSteps,
        listener,
        cancel,
        started);
  }

  /** Names of the arrays in a {@link RunState}: {@code latent.0}, {@code adam.m.1}... */
  static final String LATENT = "latent";

  static final String BEST = "best";
  static final String FIRST_MOMENT = "adam.m";
  static final String SECOND_MOMENT = "adam.v";

  /** The best step so far and the first step's score; {@code latents} null before step 1. */
  private static final class Best {
    NDList latents;
    double score;
    int step;
    double firstScore;

    Best(NDList latents, double score, int step, double firstScore) {
      this.latents = latents;
      this.score = score;
      this.step = step;
      this.firstScore = firstScore;
    }
  }

  private GenerationResult loop(
      NDManager run,
      PromptTargets targets,
      NDList latents,
      AdamOptimizer adam,
      Best best,
      CutoutSource cutoutSource,
      int steps,
      ProgressListener listener,
      CancellationSignal cancel,
      long started) {
    for (int step = adam.steps() + 1; step <= steps; step++) {
      cancel.throwIfCancelled(step - 1);
      try (NDManager scratch = run.newSubManager()) {
        phases.start();
        List<Cutout> boxes = cutoutSource.next(generator.imageSize(), settings.cutouts());
        StepOutcome outcome = step(scratch, targets, latents, boxes, adam);
        if (!Double.isFinite(outcome.loss())) {
          // Adam would carry the NaN into every latent and no step could ever be kept as best.
          throw new IllegalStateException(
              "the loss is "
                  + outcome.loss()
                  + " at step "
                  + step
                  + ": the latents or the CPU kernels gave non-finite numbers; if this repeats,"
                  + " set engine.cpuKernels: onednn-off (the start-up log names the kernels in use)");
        }
        if (step == 1) {
          best.firstScore = outcome.score();
        }
        if (outcome.score() > best.score) {
          best.score = outcome.score();
          best.step = step;
          if (best.latents != null) {
            best.latents.close();
          }
          best.latents = copy(outcome.latentsBefore(), run);
        }
        phases.end(PhaseTimer.Phase.ADAM);
        byte[] preview =
            step % settings.previewEvery() == 0 || step == steps
                ? Images.toPng(outcome.image())
                : null;
        phases.end(PhaseTimer.Phase.PREVIEW);
        listener.onProgress(new Progress(step, steps, outcome.loss(), outcome.score(), preview));
      }
    }
    byte[] png;
    try (NDManager scratch = run.newSubManager()) {
      png = Images.toPng(generator.render(copy(best.latents, scratch), false));
    }
    RunState state = state(latents, adam, best);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    return new GenerationResult(
        png, best.score, best.step, best.firstScore, steps, elapsed, Optional.of(state));
  }

  private static RunState state(NDList latents, AdamOptimizer adam, Best best) {
    List<RunState.Array> arrays = new ArrayList<>();
    add(arrays, LATENT, latents);
    add(arrays, FIRST_MOMENT, adam.firstMoments());
    add(arrays, SECOND_MOMENT, adam.secondMoments());
    add(arrays, BEST, best.latents);
    return new RunState(adam.steps(), best.firstScore, best.score, best.step, arrays);
  }

  private static void add(List<RunState.Array> arrays, String prefix, NDList values) {
    for (int i = 0; i < values.size(); i++) {
      NDArray v = values.get(i);
      arrays.add(new RunState.Array(prefix + "." + i, v.getShape().getShape(), v.toFloatArray()));
    }
  }

  private static NDList restore(NDManager run, RunState state, String prefix, List<Shape> shapes) {
    NDList restored = new NDList(shapes.size());
    for (int i = 0; i < shapes.size(); i++) {
      String name = prefix + "." + i;
      RunState.Array array =
          state
              .array(name)
              .orElseThrow(() -> new IllegalArgumentException("the run state lacks array " + name));
      Shape shape = new Shape(array.shape());
      if (!shape.equals(shapes.get(i))) {
        throw new IllegalArgumentException(
            "the run state does not fit this model: "
                + name
                + " has shape "
                + shape
                + ", the model's is "
                + shapes.get(i));
      }
      restored.add(run.create(array.values(), shape));
    }
    if (state.array(prefix + "." + shapes.size()).isPresent()) {
      throw new IllegalArgumentException(
          "the run state does not fit this model: more " + prefix + " arrays than it has");
    }
    return restored;
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
              phases.end(PhaseTimer.Phase.GENERATOR);
              NDArray crops = Cutouts.batch(image, boxes);
              phases.end(PhaseTimer.Phase.CUTOUTS);
              NDArray embeddings = clip.encodeImagesWithGrad(crops);
              NDList similarities = targets.similarities(embeddings);
              similarityOut[0] = similarities;
              NDArray total = generator.regularizer(variables).add(targets.loss(similarities));
              phases.end(PhaseTimer.Phase.CLIP);
              return total;
            });
    Autograd.backward(loss);
    phases.end(PhaseTimer.Phase.BACKWARD);
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
