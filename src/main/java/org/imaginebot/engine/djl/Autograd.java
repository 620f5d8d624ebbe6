package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Records a computation and runs backward on it, on the calling thread only.
 *
 * <p>DJL's {@code PtGradientCollector} allows one collector per JVM, which would serialize every
 * worker; libtorch's grad mode is thread-local, so recording per thread is safe and lets several
 * GPU workers optimize at once.
 */
final class Autograd {

  private Autograd() {}

  static <T> T recording(Supplier<T> computation) {
    JniUtils.setGradMode(true);
    try {
      return computation.get();
    } finally {
      JniUtils.setGradMode(false);
    }
  }

  /** Fills {@code getGradient()} of every leaf that requires a gradient. */
  static void backward(NDArray scalarLoss) {
    JniUtils.setGradMode(true);
    try (NDArray seed = scalarLoss.onesLike()) {
      JniUtils.backward((PtNDArray) scalarLoss, (PtNDArray) seed, false, false);
    } finally {
      JniUtils.setGradMode(false);
    }
  }
}
