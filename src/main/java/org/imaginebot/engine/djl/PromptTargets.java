package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The prompts' CLIP text embeddings with their weights, and the similarity terms of the loss.
 *
 * <p>For each prompt Big Sleep adds {@code -100 · cos(text, image)} averaged over the cutouts (and
 * {@code +100 · cos} for a negative prompt); a weight {@code w} generalizes that to {@code -100 · w
 * · cos}.
 */
final class PromptTargets {

  static final double LOSS_COEFFICIENT = 100.0;

  private final NDList embeddings;
  private final double[] weights;
  private final double positiveWeight;

  PromptTargets(NDList embeddings, double[] weights) {
    if (embeddings.size() != weights.length || weights.length == 0) {
      throw new IllegalArgumentException("one weight per prompt embedding is required");
    }
    this.embeddings = embeddings;
    this.weights = weights.clone();
    double positive = 0;
    for (double w : weights) {
      positive += Math.max(0, w);
    }
    this.positiveWeight = positive;
  }

  /** Mean cosine similarity of each prompt to the image embeddings: one scalar per prompt. */
  NDList similarities(NDArray imageEmbeddings) {
    NDArray imageNorms = imageEmbeddings.norm(new int[] {1});
    NDList result = new NDList(embeddings.size());
    for (NDArray text : embeddings) {
      // A copy made here joins the graph; the inference-mode original cannot be saved for backward.
      NDArray t = text.duplicate();
      NDArray dots = imageEmbeddings.matMul(t.transpose()).squeeze(1);
      NDArray cos = dots.div(imageNorms.mul(t.norm()));
      result.add(cos.mean());
    }
    return result;
  }

  /** Sum over prompts of {@code -100 · w · mean cos}. */
  NDArray loss(NDList similarities) {
    NDArray total = null;
    for (int i = 0; i < similarities.size(); i++) {
      NDArray term =
          similarities.get(i).mul(Scalars.of(similarities.get(i), -LOSS_COEFFICIENT * weights[i]));
      total = total == null ? term : total.add(term);
    }
    return total;
  }

  /** The weighted CLIP score users see: sum of {@code w · cos}, divided by the positive weights. */
  double score(NDList similarities) {
    double sum = 0;
    for (int i = 0; i < similarities.size(); i++) {
      sum += weights[i] * similarities.get(i).getFloat();
    }
    return sum / positiveWeight;
  }

  /**
   * The weighted CLIP score of a whole image (1,3,S,S) in [0,1], resized to CLIP's input: the one
   * measure searches, {@code evolve} and benchmarks compare images by.
   */
  double wholeImageScore(ClipModel clip, NDArray image01) {
    return score(similarities(clip.encodeImages(Cutouts.whole(image01))));
  }

  double weight(int prompt) {
    return weights[prompt];
  }

  NDList embeddings() {
    return embeddings;
  }
}
