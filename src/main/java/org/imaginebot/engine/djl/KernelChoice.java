package org.imaginebot.engine.djl;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.imaginebot.engine.CpuKernels;

/**
 * Picks the fastest candidate whose self-check is within the tolerance of float64.
 *
 * @param kernels the choice
 * @param summary every candidate's error and time, for the log and the cache file
 */
record KernelChoice(CpuKernels kernels, String summary) {

  /**
   * Relative L2 error a float32 convolution stays well inside (measured 1e-7..1e-6 for correct
   * kernels on this check); the wrong AVX-512 kernels seen on an AMD EPYC were percents off.
   */
  static final double TOLERANCE = 1e-4;

  /** When no candidate passes: SSE4.1, the cap the engine used before it checked. */
  static final CpuKernels FALLBACK = CpuKernels.SSE41;

  static KernelChoice choose(List<ProbeResult> results) {
    String summary = results.stream().map(KernelChoice::describe).collect(Collectors.joining("; "));
    CpuKernels best =
        results.stream()
            .filter(r -> r.correct(TOLERANCE))
            .min(Comparator.comparingDouble(ProbeResult::millis))
            .map(ProbeResult::kernels)
            .orElse(FALLBACK);
    return new KernelChoice(best, summary);
  }

  private static String describe(ProbeResult r) {
    if (r.failure() != null) {
      return r.kernels().id() + " failed (" + r.failure() + ")";
    }
    return String.format(
        Locale.ROOT,
        "%s error %.2e %s, %.1f ms",
        r.kernels().id(),
        r.relativeError(),
        r.correct(TOLERANCE) ? "ok" : "WRONG",
        r.millis());
  }
}
