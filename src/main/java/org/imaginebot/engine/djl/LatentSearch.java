package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.Random;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;

/**
 * The {@code search} strategy for generators without classes (StyleGAN): draw N starting latents
 * and keep the image CLIP scores best. Forward passes only.
 */
final class LatentSearch {

  private final ClipModel clip;
  private final LatentGenerator generator;
  private final int previewEvery;

  LatentSearch(ClipModel clip, LatentGenerator generator, int previewEvery) {
    this.clip = clip;
    this.generator = generator;
    this.previewEvery = previewEvery;
  }

  GenerationResult run(NDManager run, PromptTargets targets, Random random, int candidates,
      ProgressListener listener, CancellationSignal cancel) {
    return search(run, targets, random, candidates, listener, cancel).result();
  }

  /** Like {@link #run}, and also the best candidate's latents, so {@code adam} can refine it. */
  SearchResult search(NDManager run, PromptTargets targets, Random random, int candidates,
      ProgressListener listener, CancellationSignal cancel) {
    long started = System.nanoTime();
    NDList bestLatents = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    double firstScore = Double.NaN;
    int bestStep = 0;
    NDArray bestImage = null;
    for (int step = 1; step <= candidates; step++) {
      cancel.throwIfCancelled(step - 1);
      try (NDManager scratch = run.newSubManager()) {
        NDList latents = generator.initialLatents(scratch, random);
        NDArray image = generator.render(latents, false);
        double score = targets.score(targets.similarities(clip.encodeImages(Cutouts.whole(image))));
        if (step == 1) {
          firstScore = score;
        }
        if (score > bestScore) {
          bestScore = score;
          bestStep = step;
          if (bestImage != null) {
            bestImage.close();
          }
          bestImage = image.duplicate();
          bestImage.attach(run);
          if (bestLatents != null) {
            bestLatents.close();
          }
          bestLatents = new NDList(latents.size());
          for (NDArray latent : latents) {
            NDArray kept = latent.duplicate();
            kept.attach(run);
            bestLatents.add(kept);
          }
        }
        byte[] preview = step % previewEvery == 0 || step == candidates ? Images.toPng(bestImage) : null;
        listener.onProgress(new Progress(step, candidates, -PromptTargets.LOSS_COEFFICIENT * score, score, preview));
      }
    }
    GenerationResult result = new GenerationResult(Images.toPng(bestImage), bestScore, bestStep, firstScore, candidates,
        Duration.ofNanos(System.nanoTime() - started));
    return new SearchResult(result, bestLatents);
  }
}
