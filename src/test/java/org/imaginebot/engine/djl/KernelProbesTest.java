package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.imaginebot.engine.CpuKernels;
import org.junit.jupiter.api.Test;

/** The real self-check, each candidate in its own JVM, on this machine's CPU. */
final class KernelProbesTest {

  @Test
  void runAll_checksEveryCandidate_andChoosesOneThatIsCorrect() {
    List<ProbeResult> results = KernelProbes.runAll(2);

    assertThat(results)
        .extracting(ProbeResult::kernels)
        .containsExactlyElementsOf(CpuKernels.candidates());
    assertThat(results).allSatisfy(r -> assertThat(r.failure()).isNull());
    assertThat(results).allSatisfy(r -> assertThat(r.millis()).isPositive());
    KernelChoice choice = KernelChoice.choose(results);
    ProbeResult chosen =
        results.stream().filter(r -> r.kernels() == choice.kernels()).findFirst().orElseThrow();
    assertThat(chosen.relativeError()).isLessThanOrEqualTo(KernelChoice.TOLERANCE);
    assertThat(choice.summary()).contains("onednn-off error", "native error", "sse41 error");
  }
}
