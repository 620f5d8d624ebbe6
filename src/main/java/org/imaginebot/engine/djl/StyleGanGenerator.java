package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * StyleGAN2 as seed 003 drives it: the optimizable latent is w (one row of the mapping network's
 * width), started at {@code w_avg + psi * (mapping(z) - w_avg)}; the synthesis network renders it
 * in [-1,1], mapped to [0,1]. There is no latent regularizer: truncation keeps the start realistic
 * and the CLIP loss alone moves w, as in the seed.
 */
final class StyleGanGenerator implements LatentGenerator {

  /** z samples averaged for w_avg, from a fixed seed so every run of a model agrees on it. */
  private static final int MEAN_SAMPLES = 1024;

  private static final long MEAN_SEED = 0x57A7_1E6A_11L;

  private static final double VARIATION_STEP = 0.3;

  private final TorchScriptModule mapping;
  private final TorchScriptModule synthesis;
  private final int imageSize;
  private final int zDim;
  private final float psi;
  private float[] meanW;

  StyleGanGenerator(
      TorchScriptModule mapping, TorchScriptModule synthesis, int imageSize, int zDim, double psi) {
    this.mapping = mapping;
    this.synthesis = synthesis;
    this.imageSize = imageSize;
    this.zDim = zDim;
    this.psi = (float) psi;
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  @Override
  public NDList initialLatents(NDManager manager, Random random) {
    float[] w = truncatedW(manager, Gaussians.standard(random, zDim));
    return new NDList(manager.create(w, new Shape(1, w.length)));
  }

  /** {@code w_avg + psi * (mapping(z) - w_avg)}. */
  private float[] truncatedW(NDManager manager, float[] z) {
    float[] mean = meanW(manager);
    float[] w;
    try (NDManager scratch = manager.newSubManager()) {
      w =
          mapping
              .forward(new NDList(scratch.create(z, new Shape(1, zDim))))
              .singletonOrThrow()
              .toFloatArray();
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = mean[i] + psi * (w[i] - mean[i]);
    }
    return w;
  }

  /** Genes: z (mapped and truncated like a starting w). */
  @Override
  public int genomeLength() {
    return zDim;
  }

  @Override
  public float[] randomGenome(Random random) {
    return Gaussians.truncated(random, zDim, 2);
  }

  @Override
  public NDArray renderGenome(NDManager manager, float[] genes) {
    return render(
        new NDList(manager.create(truncatedW(manager, genes), new Shape(1, meanW(manager).length))),
        false);
  }

  /** w moved {@value #VARIATION_STEP} of the way towards another truncated w. */
  @Override
  public NDList vary(NDManager manager, NDList latents, Random random) {
    float[] w = latents.get(0).toFloatArray();
    float[] other = initialLatents(manager, random).get(0).toFloatArray();
    for (int i = 0; i < w.length; i++) {
      w[i] += (float) VARIATION_STEP * (other[i] - w[i]);
    }
    return new NDList(manager.create(w, latents.get(0).getShape()));
  }

  @Override
  public NDArray render(NDList latents, boolean withGrad) {
    NDList inputs = new NDList(latents.get(0));
    NDArray raw =
        (withGrad ? synthesis.forwardWithGrad(inputs) : synthesis.forward(inputs))
            .singletonOrThrow();
    return raw.add(Scalars.of(raw, 1)).div(Scalars.of(raw, 2));
  }

  @Override
  public NDArray regularizer(NDList latents) {
    return Scalars.of(latents.get(0), 0);
  }

  /** The mapping network's mean w over {@link #MEAN_SAMPLES} fixed z, computed once per model. */
  private synchronized float[] meanW(NDManager manager) {
    if (meanW == null) {
      Random random = new Random(MEAN_SEED);
      try (NDManager scratch = manager.newSubManager()) {
        NDArray z =
            scratch.create(
                Gaussians.standard(random, MEAN_SAMPLES * zDim), new Shape(MEAN_SAMPLES, zDim));
        meanW =
            mapping.forward(new NDList(z)).singletonOrThrow().mean(new int[] {0}).toFloatArray();
      }
    }
    return meanW;
  }

  @Override
  public void close() {
    mapping.close();
    synthesis.close();
  }
}
