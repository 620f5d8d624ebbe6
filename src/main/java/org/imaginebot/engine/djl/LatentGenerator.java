package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * A GAN generator seen as a function from optimizable latents to an image, plus the regularizer
 * that keeps those latents in the range the generator was trained on.
 */
interface LatentGenerator extends AutoCloseable {

  int imageSize();

  /** Random starting latents, drawn from {@code random} in a fixed order. */
  NDList initialLatents(NDManager manager, Random random);

  /**
   * Starting latents close to {@code latents}, for a variation of an image: a small step towards
   * other random latents drawn from {@code random}, keeping the distribution the generator expects.
   */
  NDList vary(NDManager manager, NDList latents, Random random);

  /** Genes of one individual for {@code evolve}: a flat vector, every value in [-2, 2]. */
  int genomeLength();

  /** A random individual, drawn from {@code random} in a fixed order. */
  float[] randomGenome(Random random);

  /** The image of an individual, shape (1,3,S,S), values in [0,1]; no gradient. */
  NDArray renderGenome(NDManager manager, float[] genes);

  /** The image for these latents, shape (1,3,S,S), values in [0,1]. */
  NDArray render(NDList latents, boolean withGrad);

  /** The latent regularizer as a scalar (Big Sleep's lat_l + cls_l for BigGAN). */
  NDArray regularizer(NDList latents);

  @Override
  void close();
}
