package org.imaginebot.engine.djl;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.imaginebot.engine.CpuKernels;

/**
 * Picks libtorch's own convolutions (oneDNN off), with oneMKL on its native path where that
 * applies, when they pass the self-check, else the fastest candidate that is within the tolerance
 * of float64.
 *
 * <p>Why not simply the fastest: the check's small convolutions misrank the candidates. On this
 * project's 2-core AMD EPYC the check once timed oneDNN at AVX-512 at 17.9 ms against 31.1 ms with
 * oneDNN off, yet oneDNN off is faster for the real step (CLIP's patch convolution ~180 ms against
 * ~600 ms with oneDNN at any ISA; 4,996 against 5,602 ms per step on an Intel Xeon), and with
 * oneDNN at AVX-512 the tiny models' runs later gave NaN losses (7 of {@code GenerateCommandTest}'s
 * 21 tests), which a one-off check of a few convolutions cannot rule out. The times stay in the
 * summary; an operator who measures otherwise sets {@code engine.cpuKernels} to {@code native}.
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

  /**
   * Chosen whenever they pass the check, the first that does: oneMKL's native path with oneDNN off
   * (a real-size step 5.5 s on oneMKL's generic path, 3.1 s on its AVX-512 one, on this project's
   * AMD EPYC), then oneDNN off.
   */
  static final List<CpuKernels> PREFERRED = List.of(CpuKernels.MKL_NATIVE, CpuKernels.ONEDNN_OFF);

  static KernelChoice choose(List<ProbeResult> results) {
    String summary = results.stream().map(KernelChoice::describe).collect(Collectors.joining("; "));
    List<ProbeResult> correct = results.stream().filter(r -> r.correct(TOLERANCE)).toList();
    CpuKernels best =
        PREFERRED.stream()
            .filter(p -> correct.stream().anyMatch(r -> r.kernels() == p))
            .findFirst()
            .orElseGet(
                () ->
                    correct.stream()
                        .min(Comparator.comparingDouble(ProbeResult::millis))
                        .map(ProbeResult::kernels)
                        .orElse(FALLBACK));
    return new KernelChoice(best, summary);
  }

  private static String describe(ProbeResult r) {
    if (r.failure() != null) {
      return r.kernels().id() + " failed (" + r.failure() + ")";
    }
    return String.format(
        Locale.ROOT,
        "%s error %.2e %s, %.1f ms, oneMKL path %d",
        r.kernels().id(),
        r.relativeError(),
        r.correct(TOLERANCE) ? "ok" : "WRONG",
        r.millis(),
        r.mklPath());
  }
}
