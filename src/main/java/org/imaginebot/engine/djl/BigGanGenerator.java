package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Random;

/**
 * BigGAN-deep as Big Sleep drives it: one z row (128) and one class-logit row (1000) per generator
 * layer; classes are {@code sigmoid(logits)}; the image is mapped from [-1,1] to [0,1].
 */
final class BigGanGenerator implements LatentGenerator {

  /** Big Sleep initializes class logits around -3.9 so every class starts near 0.02. */
  private static final double CLASS_LOGIT_MEAN = -3.9;

  private static final double CLASS_LOGIT_STD = 0.3;

  /** How far a variation turns z: sin 0.35, about 20 degrees. */
  private static final double VARIATION_SIN = 0.35;

  private static final double VARIATION_COS = Math.sqrt(1 - VARIATION_SIN * VARIATION_SIN);

  /** Big Sleep's {@code thresh_lat}: the mean square of z is only penalized above 1. */
  private static final float LATENT_THRESHOLD = 1f;

  private final TorchScriptModule generator;
  private final int imageSize;
  private final int numLatents;
  private final int zDim;
  private final int numClasses;
  private final float truncation;

  BigGanGenerator(
      TorchScriptModule generator,
      int imageSize,
      int numLatents,
      int zDim,
      int numClasses,
      double truncation) {
    this.generator = generator;
    this.imageSize = imageSize;
    this.numLatents = numLatents;
    this.zDim = zDim;
    this.numClasses = numClasses;
    this.truncation = (float) truncation;
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  float truncation() {
    return truncation;
  }

  int numClasses() {
    return numClasses;
  }

  int numLatents() {
    return numLatents;
  }

  int zDim() {
    return zDim;
  }

  @Override
  public NDList initialLatents(NDManager manager, Random random) {
    float[] z = new float[numLatents * zDim];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) random.nextGaussian();
    }
    float[] logits = new float[numLatents * numClasses];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (CLASS_LOGIT_MEAN + CLASS_LOGIT_STD * random.nextGaussian());
    }
    return new NDList(
        manager.create(z, new Shape(numLatents, zDim)),
        manager.create(logits, new Shape(numLatents, numClasses)));
  }

  /**
   * z rotated by a small angle towards fresh noise, so each row stays standard normal; classes
   * kept.
   */
  @Override
  public NDList vary(NDManager manager, NDList latents, Random random) {
    float[] z = latents.get(0).toFloatArray();
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (VARIATION_COS * z[i] + VARIATION_SIN * random.nextGaussian());
    }
    return new NDList(manager.create(z, latents.get(0).getShape()), latents.get(1).duplicate());
  }

  /**
   * Genes: one z (repeated on every row) and one class-logit vector turned into class weights by
   * softmax.
   */
  @Override
  public int genomeLength() {
    return zDim + numClasses;
  }

  @Override
  public float[] randomGenome(Random random) {
    return Gaussians.truncated(random, genomeLength(), 2);
  }

  /**
   * The class genes go through a softmax, so the class input sums to 1 like the one-hot vectors
   * BigGAN was trained on, whatever the genes are.
   */
  @Override
  public NDArray renderGenome(NDManager manager, float[] genes) {
    float[] zRows = new float[numLatents * zDim];
    float[] classRows = new float[numLatents * numClasses];
    float[] classes = softmax(genes, zDim, numClasses);
    for (int r = 0; r < numLatents; r++) {
      System.arraycopy(genes, 0, zRows, r * zDim, zDim);
      System.arraycopy(classes, 0, classRows, r * numClasses, numClasses);
    }
    return renderClasses(
        manager.create(zRows, new Shape(numLatents, zDim)),
        manager.create(classRows, new Shape(numLatents, numClasses)),
        false);
  }

  private static float[] softmax(float[] values, int from, int length) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < length; i++) {
      max = Math.max(max, values[from + i]);
    }
    double sum = 0;
    double[] exps = new double[length];
    for (int i = 0; i < length; i++) {
      exps[i] = Math.exp(values[from + i] - max);
      sum += exps[i];
    }
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) (exps[i] / sum);
    }
    return out;
  }

  /** Latents from given values, e.g. a reference run's starting point. */
  NDList latentsOf(NDManager manager, float[] z, float[] classLogits) {
    return new NDList(
        manager.create(z, new Shape(numLatents, zDim)),
        manager.create(classLogits, new Shape(numLatents, numClasses)));
  }

  @Override
  public NDArray render(NDList latents, boolean withGrad) {
    NDArray classes = Activation.sigmoid(latents.get(1));
    return renderClasses(latents.get(0), classes, withGrad);
  }

  /** The image for z rows and explicit class vectors (one-hot for class search). */
  NDArray renderClasses(NDArray z, NDArray classes, boolean withGrad) {
    NDList inputs = new NDList(z, classes, Scalars.of(z, truncation));
    NDArray raw =
        (withGrad ? generator.forwardWithGrad(inputs) : generator.forward(inputs))
            .singletonOrThrow();
    return raw.add(Scalars.of(raw, 1)).div(Scalars.of(raw, 2));
  }

  @Override
  public NDArray regularizer(NDList latents) {
    return latentLoss(latents.get(0)).add(classLoss(Activation.sigmoid(latents.get(1))));
  }

  /**
   * Big Sleep's lat_l: |1 - std| and |mean| per row (unbiased std, as torch.std), 4·max(mean(z²),
   * 1), plus per-row |skew| and |excess kurtosis| (population moments) divided by the row count.
   */
  static NDArray latentLoss(NDArray z) {
    long rows = z.getShape().get(0);
    long n = z.getShape().get(1);
    NDArray rowMean = z.mean(new int[] {1}, true);
    NDArray diffs = z.sub(rowMean);
    NDArray squares = diffs.square();
    NDArray unbiasedStd = squares.sum(new int[] {1}).div(Scalars.of(z, n - 1)).sqrt();
    NDArray loss =
        Scalars.of(z, 1)
            .sub(unbiasedStd)
            .abs()
            .mean()
            .add(rowMean.abs().mean())
            .add(z.square().mean().maximum(Scalars.of(z, LATENT_THRESHOLD)).mul(Scalars.of(z, 4)));
    NDArray populationStd = squares.mean(new int[] {1}, true).sqrt();
    NDArray zScores = diffs.div(populationStd);
    NDArray skews = zScores.pow(Scalars.of(z, 3)).mean(new int[] {1});
    NDArray kurtoses = zScores.pow(Scalars.of(z, 4)).mean(new int[] {1}).sub(Scalars.of(z, 3));
    NDArray perRow = Scalars.of(z, rows);
    return loss.add(kurtoses.abs().sum().div(perRow)).add(skews.abs().sum().div(perRow));
  }

  /** Big Sleep's cls_l: mean of (50 · the 999 smallest class weights of each row)². */
  static NDArray classLoss(NDArray classes) {
    long keep = classes.getShape().get(1) - 1;
    NDArray smallest = classes.sort(1).get(new NDIndex(":, :{}", keep));
    return smallest.mul(Scalars.of(classes, 50)).square().mean();
  }

  @Override
  public void close() {
    generator.close();
  }
}
