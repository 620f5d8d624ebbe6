package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.imaginebot.engine.CpuKernels;

/**
 * The self-check behind {@code engine.cpuKernels: auto}: convolutions shaped like the generator's
 * (3x3, 128 channels) and CLIP ViT-B/32's patch embedding (32x32, stride 32, fewer channels), and a
 * matrix product shaped like its MLP (oneMKL), forward and backward on fixed inputs, compared with
 * the same computation in float64 (which libtorch never hands to oneDNN) at the engine's thread
 * count, then timed by CPU time on one thread.
 *
 * <p>oneDNN reads {@code DNNL_MAX_CPU_ISA} once per process, so each candidate runs in its own
 * process: {@link #main} is that process, started by {@link KernelProbes}.
 */
final class KernelProbe {

  /**
   * Rounds timed; the fastest counts, as other processes on the machine only ever slow one down.
   */
  private static final int TIMED_ROUNDS = 8;

  private KernelProbe() {}

  /**
   * Runs the check under {@code args[0]} (a {@link CpuKernels} id, set up by the parent's
   * environment) with {@code args[1]} intra-op threads and prints one {@link ProbeResult#line}.
   */
  public static void main(String[] args) {
    CpuKernels kernels = CpuKernels.parse(args[0]);
    int threads = Integer.parseInt(args[1]);
    if (NativeSettings.startEngine(kernels, threads) != kernels) {
      System.out.println(ProbeResult.failed(kernels, "cannot be set up here").line());
      return;
    }
    System.out.println(measure(kernels).line());
  }

  /** Checks and times the kernels this process runs with. */
  static ProbeResult measure(CpuKernels kernels) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Random random = new Random(20261201L);
      Case generator =
          Case.convolution(
              manager, random, new Shape(1, 128, 32, 32), new Shape(128, 128, 3, 3), 1, 1);
      Case patches =
          Case.convolution(
              manager, random, new Shape(4, 3, 224, 224), new Shape(128, 3, 32, 32), 32, 0);
      Case mlp = Case.product(manager, random, new Shape(100, 768), new Shape(768, 3072));
      double error =
          Math.max(
              Math.max(
                  generator.run(DataType.FLOAT32).errorAgainst(generator.run(DataType.FLOAT64)),
                  patches.run(DataType.FLOAT32).errorAgainst(patches.run(DataType.FLOAT64))),
              mlp.run(DataType.FLOAT32).errorAgainst(mlp.run(DataType.FLOAT64)));
      // Timed on one intra-op thread by that thread's CPU time: other processes on the machine
      // then delay the check without lengthening what is measured.
      int threads = JniUtils.getNumThreads();
      JniUtils.setNumThreads(1);
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      double[] millis = new double[TIMED_ROUNDS];
      try {
        for (int i = 0; i < TIMED_ROUNDS; i++) {
          long start = cpu.getCurrentThreadCpuTime();
          generator.run(DataType.FLOAT32);
          patches.run(DataType.FLOAT32);
          mlp.run(DataType.FLOAT32);
          millis[i] = (cpu.getCurrentThreadCpuTime() - start) / 1e6;
        }
      } finally {
        JniUtils.setNumThreads(threads);
      }
      Arrays.sort(millis);
      return new ProbeResult(kernels, error, millis[0], null, MklCpuPath.detectedPath());
    }
  }

  /**
   * One operation {@code y = op(x, w)}'s fixed input, weight and output gradient: a convolution or
   * a matrix product.
   */
  private record Case(
      NDManager manager,
      float[] input,
      Shape inputShape,
      float[] weight,
      Shape weightShape,
      float[] outputGradient,
      BinaryOperator<NDArray> op) {

    /** A convolution shaped like the generator's or CLIP's patch embedding. */
    static Case convolution(
        NDManager manager,
        Random random,
        Shape inputShape,
        Shape weightShape,
        int stride,
        int padding) {
      return new Case(
          manager,
          gaussians(random, inputShape.size(), 1.0),
          inputShape,
          gaussians(
              random, weightShape.size(), 1.0 / Math.sqrt(weightShape.size() / weightShape.get(0))),
          weightShape,
          gaussians(random, outputSize(inputShape, weightShape, stride, padding), 1.0),
          (x, w) ->
              Conv2d.conv2d(
                      x,
                      w,
                      null,
                      new Shape(stride, stride),
                      new Shape(padding, padding),
                      new Shape(1, 1),
                      1)
                  .singletonOrThrow());
    }

    /** A matrix product shaped like a CLIP ViT-B/32 MLP layer on a few cutouts (oneMKL's SGEMM). */
    static Case product(NDManager manager, Random random, Shape inputShape, Shape weightShape) {
      return new Case(
          manager,
          gaussians(random, inputShape.size(), 1.0),
          inputShape,
          gaussians(random, weightShape.size(), 1.0 / Math.sqrt(weightShape.get(0))),
          weightShape,
          gaussians(random, inputShape.get(0) * weightShape.get(1), 1.0),
          NDArray::matMul);
    }

    /** Output, input gradient and weight gradient, as float64 arrays. */
    Outputs run(DataType type) {
      try (NDManager step = manager.newSubManager()) {
        NDArray x = step.create(input, inputShape).toType(type, false);
        NDArray w = step.create(weight, weightShape).toType(type, false);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y = Autograd.recording(() -> op.apply(x, w));
        NDArray g = step.create(outputGradient, y.getShape()).toType(type, false);
        Autograd.backward(Autograd.recording(() -> y.mul(g).sum()));
        return Outputs.of(new NDList(y, x.getGradient(), w.getGradient()));
      }
    }

    private static long outputSize(Shape in, Shape w, int stride, int padding) {
      long h = (in.get(2) + 2L * padding - w.get(2)) / stride + 1;
      long wd = (in.get(3) + 2L * padding - w.get(3)) / stride + 1;
      return in.get(0) * w.get(0) * h * wd;
    }

    private static float[] gaussians(Random random, long count, double scale) {
      float[] values = new float[Math.toIntExact(count)];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * scale);
      }
      return values;
    }
  }

  private record Outputs(double[][] tensors) {

    static Outputs of(NDList all) {
      double[][] values = new double[all.size()][];
      for (int i = 0; i < all.size(); i++) {
        values[i] = all.get(i).toType(DataType.FLOAT64, false).toDoubleArray();
      }
      return new Outputs(values);
    }

    /** The largest relative L2 distance of a tensor from {@code reference}'s. */
    double errorAgainst(Outputs reference) {
      double worst = 0;
      for (int t = 0; t < tensors.length; t++) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < tensors[t].length; i++) {
          double d = tensors[t][i] - reference.tensors[t][i];
          diff += d * d;
          norm += reference.tensors[t][i] * reference.tensors[t][i];
        }
        double relative = Math.sqrt(diff / norm);
        worst = Double.isNaN(relative) ? Double.POSITIVE_INFINITY : Math.max(worst, relative);
      }
      return worst;
    }
  }
}
