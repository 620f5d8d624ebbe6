package org.imaginebot.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Which kernels libtorch uses on the CPU ({@code engine.cpuKernels}): oneDNN's convolutions or its
 * own, and on CPUs that are not Intel's, oneMKL's generic or native path for matrix products.
 *
 * <p>oneDNN's kernels for the CPU's best instruction set were wrong on one AMD EPYC and are slower
 * than libtorch's own ones for CLIP's patch convolution on an Intel Xeon, so {@link #AUTO} checks
 * each candidate against a float64 result at start and keeps a correct one for this CPU.
 */
public enum CpuKernels {
  /**
   * Probe the candidates ({@link #MKL_NATIVE} only where it applies); keep {@link #MKL_NATIVE},
   * else {@link #ONEDNN_OFF}, when correct, else the fastest correct.
   */
  AUTO("auto"),
  /**
   * {@link #ONEDNN_OFF}, and oneMKL on the CPU's own instruction set (AVX2, AVX-512) where the CPU
   * is not Intel's: oneMKL takes a generic path on other vendors' CPUs unless told the CPU is
   * Intel's (on Intel's it changes nothing). x86-64 Linux only.
   */
  MKL_NATIVE("mkl-native"),
  /** oneDNN disabled: libtorch's own convolutions. */
  ONEDNN_OFF("onednn-off"),
  /** oneDNN capped at SSE4.1 ({@code DNNL_MAX_CPU_ISA=SSE41}): slow, correct everywhere seen. */
  SSE41("sse41"),
  /** oneDNN at the CPU's best instruction set. */
  NATIVE("native");

  private final String id;

  CpuKernels(String id) {
    this.id = id;
  }

  /** The configuration value, e.g. {@code onednn-off}. */
  public String id() {
    return id;
  }

  /** Every configuration value, {@code auto} first. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(CpuKernels::id).toList();
  }

  /**
   * The candidates {@link #AUTO} chooses from on every CPU ({@link #MKL_NATIVE} is added where it
   * applies).
   */
  public static List<CpuKernels> candidates() {
    return List.of(ONEDNN_OFF, NATIVE, SSE41);
  }

  /** The kernels named {@code id}; throws {@link IllegalArgumentException} listing the values. */
  public static CpuKernels parse(String id) {
    for (CpuKernels kernels : values()) {
      if (kernels.id.equals(id)) {
        return kernels;
      }
    }
    throw new IllegalArgumentException(
        "cpu kernels must be one of " + String.join(", ", ids()) + ", got '" + id + "'");
  }
}
