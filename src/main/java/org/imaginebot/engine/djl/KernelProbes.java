package org.imaginebot.engine.djl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imaginebot.engine.CpuKernels;

/**
 * Runs {@link KernelProbe} once per candidate, each in a child JVM on this process's class path
 * with the candidate's environment, since oneDNN fixes its instruction set once per process.
 */
final class KernelProbes {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private KernelProbes() {}

  /**
   * Interleaved passes over the candidates: each candidate's fastest time over its passes counts,
   * so a burst of load from other processes during one child does not decide the choice.
   */
  static final int PASSES = 2;

  /**
   * What {@code auto} checks here: {@link CpuKernels#candidates()}, and {@link
   * CpuKernels#MKL_NATIVE} first where it {@link MklCpuPath#appliesToThisCpu() applies}.
   */
  static List<CpuKernels> candidates() {
    List<CpuKernels> candidates = new ArrayList<>();
    if (MklCpuPath.appliesToThisCpu()) {
      candidates.add(CpuKernels.MKL_NATIVE);
    }
    candidates.addAll(CpuKernels.candidates());
    return List.copyOf(candidates);
  }

  static List<ProbeResult> runAll(int threads) {
    List<CpuKernels> candidates = candidates();
    ProbeResult[] best = new ProbeResult[candidates.size()];
    for (int pass = 0; pass < PASSES; pass++) {
      for (int i = 0; i < best.length; i++) {
        ProbeResult result = run(candidates.get(i), threads);
        best[i] = best[i] == null ? result : faster(best[i], result);
      }
    }
    return List.of(best);
  }

  /** The faster of two runs of one candidate; a failure in either fails it. */
  static ProbeResult faster(ProbeResult a, ProbeResult b) {
    if (a.failure() != null) {
      return a;
    }
    if (b.failure() != null) {
      return b;
    }
    return new ProbeResult(
        a.kernels(),
        Math.max(a.relativeError(), b.relativeError()),
        Math.min(a.millis(), b.millis()),
        null,
        a.mklPath());
  }

  static ProbeResult run(CpuKernels candidate, int threads) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
      if (p.getKey().toString().startsWith("ai.djl.")) {
        command.add("-D" + p.getKey() + "=" + p.getValue());
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(KernelProbe.class.getName());
    command.add(candidate.id());
    command.add(Integer.toString(threads));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    NativeSettings.environmentFor(candidate, builder.environment());
    try {
      Process process = builder.start();
      String out;
      try (InputStream stdout = process.getInputStream()) {
        out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return ProbeResult.failed(candidate, "timed out");
      }
      for (String line : out.split("\n")) {
        ProbeResult result = ProbeResult.parse(line);
        if (result != null && result.kernels() == candidate) {
          return result;
        }
      }
      return ProbeResult.failed(candidate, "exit " + process.exitValue() + ", no result");
    } catch (IOException e) {
      return ProbeResult.failed(candidate, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.failed(candidate, "interrupted");
    }
  }
}
