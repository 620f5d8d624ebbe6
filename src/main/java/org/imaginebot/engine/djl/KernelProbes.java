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

  static List<ProbeResult> runAll(int threads) {
    List<ProbeResult> results = new ArrayList<>();
    for (CpuKernels candidate : CpuKernels.candidates()) {
      results.add(run(candidate, threads));
    }
    return results;
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
