package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for operations that autograd records.
 *
 * <p>DJL's {@code x.mul(2)} makes the 2 a tensor over a Java direct buffer and frees it as soon as
 * the call returns, but autograd keeps that tensor for the backward pass, which then reads freed
 * memory: gradients turn wrong or NaN once in a while (seen here as runs of the same seed that
 * differed). A scalar from {@link #of} lives in libtorch's own memory, which autograd keeps alive.
 */
final class Scalars {

  private Scalars() {}

  /** A float32 scalar owned by libtorch, on the device and in the manager of {@code like}. */
  static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value);
  }
}
