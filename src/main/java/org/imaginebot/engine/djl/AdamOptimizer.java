package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Adam exactly as {@code torch.optim.Adam} computes it (no weight decay, no amsgrad), so a run
 * matches Big Sleep's step for step; updates the parameters in place.
 */
final class AdamOptimizer {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final double learningRate;
  private final NDList firstMoments = new NDList();
  private final NDList secondMoments = new NDList();
  private int step;

  AdamOptimizer(NDList parameters, double learningRate) {
    this.learningRate = learningRate;
    for (NDArray p : parameters) {
      firstMoments.add(p.zerosLike());
      secondMoments.add(p.zerosLike());
    }
  }

  /**
   * Adam part way through a run: {@code firstMoments} and {@code secondMoments} (owned by the
   * caller's manager, updated in place) after {@code step} updates.
   */
  AdamOptimizer(double learningRate, NDList firstMoments, NDList secondMoments, int step) {
    if (firstMoments.size() != secondMoments.size() || step < 0) {
      throw new IllegalArgumentException("bad Adam state");
    }
    this.learningRate = learningRate;
    this.firstMoments.addAll(firstMoments);
    this.secondMoments.addAll(secondMoments);
    this.step = step;
  }

  NDList firstMoments() {
    return firstMoments;
  }

  NDList secondMoments() {
    return secondMoments;
  }

  /** Updates taken so far. */
  int steps() {
    return step;
  }

  /** One update; {@code gradients} line up with the parameters given at construction. */
  void step(NDList parameters, NDList gradients) {
    step++;
    double biasCorrection1 = 1 - Math.pow(BETA1, step);
    double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(BETA2, step));
    double stepSize = learningRate / biasCorrection1;
    for (int i = 0; i < parameters.size(); i++) {
      NDArray g = gradients.get(i);
      NDArray m = firstMoments.get(i);
      NDArray v = secondMoments.get(i);
      try (NDArray scaledG = g.mul(1 - BETA1);
          NDArray g2 = g.square().muli(1 - BETA2)) {
        m.muli(BETA1).addi(scaledG);
        v.muli(BETA2).addi(g2);
      }
      try (NDArray denom = v.sqrt().divi(biasCorrection2Sqrt).addi(EPSILON);
          NDArray update = m.div(denom).muli(stepSize)) {
        parameters.get(i).subi(update);
      }
    }
  }
}
