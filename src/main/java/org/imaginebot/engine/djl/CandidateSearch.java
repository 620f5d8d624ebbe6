package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.function.Function;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;

/**
 * Best of N, the loop both searches share: draw a candidate, score its whole image with CLIP, keep
 * the best image and its latents, report every candidate as a step. Forward passes only.
 */
final class CandidateSearch {

  /**
   * One drawn candidate.
   *
   * @param image its image (1,3,S,S) in [0,1], owned by the draw's scratch manager
   * @param keepLatents its latents as a copy owned by the given manager; called only for a new best
   */
  record Candidate(NDArray image, Function<NDManager, NDList> keepLatents) {}

  private CandidateSearch() {}

  /**
   * @param draw the next candidate, drawn into the given scratch manager (closed after scoring)
   */
  static SearchResult run(
      NDManager run,
      ClipModel clip,
      PromptTargets targets,
      int candidates,
      int previewEvery,
      Function<NDManager, Candidate> draw,
      ProgressListener listener,
      CancellationSignal cancel) {
    long started = System.nanoTime();
    NDList bestLatents = null;
    NDArray bestImage = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    double firstScore = Double.NaN;
    int bestStep = 0;
    for (int step = 1; step <= candidates; step++) {
      cancel.throwIfCancelled(step - 1);
      try (NDManager scratch = run.newSubManager()) {
        Candidate candidate = draw.apply(scratch);
        double score = targets.wholeImageScore(clip, candidate.image());
        if (step == 1) {
          firstScore = score;
        }
        if (score > bestScore) {
          bestScore = score;
          bestStep = step;
          if (bestImage != null) {
            bestImage.close();
            bestLatents.close();
          }
          bestImage = candidate.image().duplicate();
          bestImage.attach(run);
          bestLatents = candidate.keepLatents().apply(run);
        }
        byte[] preview =
            step % previewEvery == 0 || step == candidates ? Images.toPng(bestImage) : null;
        listener.onProgress(
            new Progress(
                step, candidates, -PromptTargets.LOSS_COEFFICIENT * score, score, preview));
      }
    }
    GenerationResult result =
        new GenerationResult(
            Images.toPng(bestImage),
            bestScore,
            bestStep,
            firstScore,
            candidates,
            Duration.ofNanos(System.nanoTime() - started));
    return new SearchResult(result, bestLatents);
  }
}
