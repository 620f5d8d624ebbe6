package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.ProgressListener;

/**
 * The {@code search} strategy (seed 001): rank the ImageNet classes by CLIP text similarity of "an
 * image of {label}" to the prompts, then draw candidates (a random class from the top k and a
 * truncated-normal z) and keep the one CLIP scores best. Forward passes only.
 */
final class ClassSearch {

  /** sigmoid(3.9) = 0.98 for the chosen class and 0.02 for the others, as Big Sleep starts them. */
  private static final double CHOSEN_CLASS_LOGIT = 3.9;

  /** BigGAN's usual truncation of z samples. */
  private static final double Z_BOUND = 2.0;

  private final ClipModel clip;
  private final BigGanGenerator generator;
  private final NDArray classEmbeddings;
  private final int topK;
  private final int previewEvery;

  ClassSearch(ClipModel clip, BigGanGenerator generator, int topK, int previewEvery) {
    this.clip = clip;
    this.generator = generator;
    this.classEmbeddings = clip.imageNetLabelEmbeddings();
    this.topK = Math.min(topK, generator.numClasses());
    this.previewEvery = previewEvery;
  }

  /** Class indices ordered by weighted similarity to the prompts, best first; the first k. */
  int[] topClasses(PromptTargets targets) {
    float[] scores = classScores(targets);
    return IntStream.range(0, scores.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> -scores[c]).thenComparingInt(c -> c))
        .limit(topK)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /**
   * Each class's similarity to the prompts: the weighted sum over prompts of the cosine between the
   * prompt and "an image of {label}", in class-index order.
   */
  float[] classScores(PromptTargets targets) {
    float[] scores = new float[generator.numClasses()];
    NDList embeddings = targets.embeddings();
    for (int i = 0; i < embeddings.size(); i++) {
      NDArray text = embeddings.get(i);
      NDArray cos =
          classEmbeddings
              .matMul(text.transpose())
              .squeeze(1)
              .div(classEmbeddings.norm(new int[] {1}).mul(text.norm()));
      float[] values = cos.toFloatArray();
      for (int c = 0; c < scores.length; c++) {
        scores[c] += (float) targets.weight(i) * values[c];
      }
    }
    return scores;
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

  /**
   * Like {@link #run}, and also the best candidate as Big Sleep latents (its z on every row, its
   * class as a confident logit), so {@code adam} can refine it.
   */
  SearchResult search(
      NDManager run,
      PromptTargets targets,
      Random random,
      int candidates,
      ProgressListener listener,
      CancellationSignal cancel) {
    int[] classes = topClasses(targets);
    return CandidateSearch.run(
        run,
        clip,
        targets,
        candidates,
        previewEvery,
        scratch -> {
          int classIndex = classes[random.nextInt(classes.length)];
          float[] z = Gaussians.truncated(random, generator.zDim(), Z_BOUND);
          return new CandidateSearch.Candidate(
              render(scratch, z, classIndex), owner -> latentsOf(owner, z, classIndex));
        },
        listener,
        cancel);
  }

  /**
   * Big Sleep latents for one z and one class: z on every row, the class's logit high, others low.
   */
  private NDList latentsOf(NDManager run, float[] z, int classIndex) {
    int rows = generator.numLatents();
    float[] zRows = new float[rows * z.length];
    float[] logits = new float[rows * generator.numClasses()];
    java.util.Arrays.fill(logits, (float) -CHOSEN_CLASS_LOGIT);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(z, 0, zRows, r * z.length, z.length);
      logits[r * generator.numClasses() + classIndex] = (float) CHOSEN_CLASS_LOGIT;
    }
    return generator.latentsOf(run, zRows, logits);
  }

  /** The candidate's image: z on every row, the class one-hot on every row. */
  NDArray render(NDManager scratch, float[] z, int classIndex) {
    int rows = generator.numLatents();
    float[] zRows = new float[rows * z.length];
    float[] oneHot = new float[rows * generator.numClasses()];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(z, 0, zRows, r * z.length, z.length);
      oneHot[r * generator.numClasses() + classIndex] = 1f;
    }
    return generator.renderClasses(
        scratch.create(zRows, new Shape(rows, z.length)),
        scratch.create(oneHot, new Shape(rows, generator.numClasses())),
        false);
  }
}
