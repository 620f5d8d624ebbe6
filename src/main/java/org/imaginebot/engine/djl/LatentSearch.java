package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
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

  GenerationResult run(
      NDManager run,
      PromptTargets targets,
      Random random,
      int candidates,
      ProgressListener listener,
      CancellationSignal cancel) {
    return search(run, targets, random, candidates, listener, cancel).result();
  }

  /** Like {@link #run}, and also the best candidate's latents, so {@code adam} can refine it. */
  SearchResult search(
      NDManager run,
      PromptTargets targets,
      Random random,
      int candidates,
      ProgressListener listener,
      CancellationSignal cancel) {
    return CandidateSearch.run(
        run,
        clip,
        targets,
        candidates,
        previewEvery,
        scratch -> {
          NDList latents = generator.initialLatents(scratch, random);
          return new CandidateSearch.Candidate(
              generator.render(latents, false), owner -> copy(latents, owner));
        },
        listener,
        cancel);
  }

  private static NDList copy(NDList latents, NDManager owner) {
    NDList copies = new NDList(latents.size());
    for (NDArray latent : latents) {
      NDArray kept = latent.duplicate();
      kept.attach(owner);
      copies.add(kept);
    }
    return copies;
  }
}
