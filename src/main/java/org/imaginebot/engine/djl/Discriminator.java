package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A GAN discriminator as a realism score: {@code forward(image in [-1,1]) -> logit}, turned into a
 * probability. The second objective of {@code evolve}, as CLIP-GLaSS uses one (seed 004).
 */
final class Discriminator implements AutoCloseable {

  private final TorchScriptModule module;

  Discriminator(TorchScriptModule module) {
    this.module = module;
  }

  /** sigmoid(D(x)) in (0, 1) for an image (1,3,S,S) with values in [0,1]. */
  double realism(NDArray image01) {
    NDArray scaled = image01.mul(Scalars.of(image01, 2)).sub(Scalars.of(image01, 1));
    float logit = module.forward(new NDList(scaled)).singletonOrThrow().toFloatArray()[0];
    return 1 / (1 + Math.exp(-logit));
  }

  @Override
  public void close() {
    module.close();
  }
}
