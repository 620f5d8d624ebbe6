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
        .containsExactlyElementsOf(KernelProbes.candidates());
    assertThat(results).allSatisfy(r -> assertThat(r.failure()).isNull());
    assertThat(results).allSatisfy(r -> assertThat(r.millis()).isPositive());
    KernelChoice choice = KernelChoice.choose(results);
    ProbeResult chosen =
        results.stream().filter(r -> r.kernels() == choice.kernels()).findFirst().orElseThrow();
    assertThat(chosen.relativeError()).isLessThanOrEqualTo(KernelChoice.TOLERANCE);
    assertThat(choice.summary()).contains("onednn-off error", "native error", "sse41 error");
  }

  /**
   * Where the CPU is not Intel's, the candidate {@code mkl-native} really moves oneMKL off its
   * generic path (code 0) in its process, and the others leave it there; on Intel's CPUs oneMKL
   * takes its native path by itself and {@code mkl-native} is not a candidate.
   */
  @Test
  void mklNative_movesOneMklOffItsGenericPath_whereTheCpuIsNotIntels() {
    ProbeResult onednnOff = KernelProbes.run(CpuKernels.ONEDNN_OFF, 1);
    assertThat(onednnOff.failure()).isNull();
    if (!MklCpuPath.appliesToThisCpu()) {
      assertThat(KernelProbes.candidates()).doesNotContain(CpuKernels.MKL_NATIVE);
      assertThat(onednnOff.mklPath()).isPositive();
      return;
    }
    ProbeResult mklNative = KernelProbes.run(CpuKernels.MKL_NATIVE, 1);

    assertThat(KernelProbes.candidates()).startsWith(CpuKernels.MKL_NATIVE);
    assertThat(onednnOff.mklPath()).isZero();
    assertThat(mklNative.failure()).isNull();
    assertThat(mklNative.mklPath()).isPositive();
    assertThat(mklNative.relativeError()).isLessThanOrEqualTo(KernelChoice.TOLERANCE);
  }

  @Test
  void intelCpu_readsTheVendorOfTheFirstProcessor() {
    assertThat(MklCpuPath.intelCpu("processor\t: 0\nvendor_id\t: GenuineIntel\n")).isTrue();
    assertThat(MklCpuPath.intelCpu("processor\t: 0\nvendor_id\t: AuthenticAMD\n")).isFalse();
    assertThat(MklCpuPath.intelCpu("")).isFalse();
  }
}
