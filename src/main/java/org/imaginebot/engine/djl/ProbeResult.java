package org.imaginebot.engine.djl;

import org.imaginebot.engine.CpuKernels;

/**
 * One candidate's self-check: its worst relative L2 error against float64 and its time.
 *
 * @param kernels the candidate
 * @param relativeError largest {@code |got - float64| / |float64|} over the checked tensors; NaN
 *     when the check did not run
 * @param millis fastest CPU time of the check's forward and backward over a few rounds, on one
 *     thread
 * @param failure why the check did not run, or null
 * @param mklPath the code path oneMKL chose in the candidate's process ({@link
 *     MklCpuPath#detectedPath()}: 0 generic), -1 when unknown
 */
record ProbeResult(
    CpuKernels kernels, double relativeError, double millis, String failure, int mklPath) {

  /** A result that does not say oneMKL's path. */
  ProbeResult(CpuKernels kernels, double relativeError, double millis, String failure) {
    this(kernels, relativeError, millis, failure, -1);
  }

  static ProbeResult failed(CpuKernels kernels, String failure) {
    return new ProbeResult(kernels, Double.NaN, Double.NaN, failure);
  }

  /** Ran, and every tensor is within {@code tolerance} of float64. */
  boolean correct(double tolerance) {
    return failure == null && relativeError <= tolerance;
  }

  /** One line a parent process parses back with {@link #parse}. */
  String line() {
    return "kernel-probe " + kernels.id() + " " + relativeError + " " + millis + " " + mklPath;
  }

  /** The result in {@code line}, or null when it is not one. */
  static ProbeResult parse(String line) {
    String[] parts = line.strip().split(" ");
    if (parts.length != 5 || !parts[0].equals("kernel-probe")) {
      return null;
    }
    try {
      return new ProbeResult(
          CpuKernels.parse(parts[1]),
          Double.parseDouble(parts[2]),
          Double.parseDouble(parts[3]),
          null,
          Integer.parseInt(parts[4]));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
