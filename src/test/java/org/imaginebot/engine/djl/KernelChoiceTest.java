package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.imaginebot.engine.CpuKernels;
import org.junit.jupiter.api.Test;

final class KernelChoiceTest {

  @Test
  void choose_oneDnnOffCorrect_takesIt_evenWhenTheCheckTimesAnotherFaster() {
    KernelChoice choice =
        KernelChoice.choose(
            List.of(
                new ProbeResult(CpuKernels.ONEDNN_OFF, 2.5e-7, 100, null),
                new ProbeResult(CpuKernels.NATIVE, 9.9e-7, 60, null),
                new ProbeResult(CpuKernels.SSE41, 9.9e-7, 400, null)));

    assertThat(choice.kernels()).isEqualTo(CpuKernels.ONEDNN_OFF);
    assertThat(choice.summary())
        .isEqualTo(
            "onednn-off error 2.50e-07 ok, 100.0 ms, oneMKL path -1; native error 9.90e-07 ok,"
                + " 60.0 ms, oneMKL path -1; sse41 error 9.90e-07 ok, 400.0 ms, oneMKL path -1");
  }

  @Test
  void choose_mklNativeCorrect_takesIt_beforeOneDnnOff() {
    KernelChoice choice =
        KernelChoice.choose(
            List.of(
                new ProbeResult(CpuKernels.MKL_NATIVE, 3.1e-7, 70, null, 7),
                new ProbeResult(CpuKernels.ONEDNN_OFF, 2.5e-7, 100, null, 0),
                new ProbeResult(CpuKernels.NATIVE, 9.9e-7, 60, null, 0)));

    assertThat(choice.kernels()).isEqualTo(CpuKernels.MKL_NATIVE);
    assertThat(choice.summary())
        .startsWith("mkl-native error 3.10e-07 ok, 70.0 ms, oneMKL path 7;");
  }

  @Test
  void choose_mklNativeWrongOrFailed_takesOneDnnOff() {
    for (ProbeResult mkl :
        List.of(
            new ProbeResult(CpuKernels.MKL_NATIVE, 0.02, 70, null, 7),
            ProbeResult.failed(CpuKernels.MKL_NATIVE, "cannot be set up here"))) {
      KernelChoice choice =
          KernelChoice.choose(
              List.of(
                  mkl,
                  new ProbeResult(CpuKernels.ONEDNN_OFF, 2.5e-7, 100, null, 0),
                  new ProbeResult(CpuKernels.NATIVE, 9.9e-7, 60, null, 0)));

      assertThat(choice.kernels()).isEqualTo(CpuKernels.ONEDNN_OFF);
    }
  }

  @Test
  void choose_oneDnnOffWrong_takesTheFastestCorrectOther() {
    KernelChoice choice =
        KernelChoice.choose(
            List.of(
                new ProbeResult(CpuKernels.ONEDNN_OFF, 0.05, 100, null),
                new ProbeResult(CpuKernels.NATIVE, 9.9e-7, 60, null),
                new ProbeResult(CpuKernels.SSE41, 9.9e-7, 400, null)));

    assertThat(choice.kernels()).isEqualTo(CpuKernels.NATIVE);
  }

  @Test
  void choose_fastestIsWrong_skipsIt() {
    KernelChoice choice =
        KernelChoice.choose(
            List.of(
                new ProbeResult(CpuKernels.ONEDNN_OFF, 2.5e-7, 100, null),
                new ProbeResult(CpuKernels.NATIVE, 0.07, 60, null),
                new ProbeResult(CpuKernels.SSE41, 9.9e-7, 400, null)));

    assertThat(choice.kernels()).isEqualTo(CpuKernels.ONEDNN_OFF);
    assertThat(choice.summary()).contains("native error 7.00e-02 WRONG, 60.0 ms");
  }

  @Test
  void choose_nanOrFailedCandidates_areNeverChosen() {
    KernelChoice choice =
        KernelChoice.choose(
            List.of(
                ProbeResult.failed(CpuKernels.ONEDNN_OFF, "exit 1, no result"),
                new ProbeResult(CpuKernels.NATIVE, Double.NaN, 10, null),
                new ProbeResult(CpuKernels.SSE41, 1e-6, 400, null)));

    assertThat(choice.kernels()).isEqualTo(CpuKernels.SSE41);
    assertThat(choice.summary()).startsWith("onednn-off failed (exit 1, no result); native error");
  }

  @Test
  void choose_noneCorrect_fallsBackToSse41() {
    KernelChoice choice =
        KernelChoice.choose(
            List.of(
                new ProbeResult(CpuKernels.ONEDNN_OFF, 1e-2, 100, null),
                new ProbeResult(CpuKernels.NATIVE, 0.07, 60, null)));

    assertThat(choice.kernels()).isEqualTo(KernelChoice.FALLBACK).isEqualTo(CpuKernels.SSE41);
  }

  @Test
  void line_parsesBack() {
    ProbeResult result =
        new ProbeResult(CpuKernels.MKL_NATIVE, 2.5686189996561755E-7, 100.73, null, 7);

    assertThat(ProbeResult.parse(result.line())).isEqualTo(result);
    assertThat(ProbeResult.parse("12:00 INFO kernel-probe started")).isNull();
    assertThat(ProbeResult.parse("kernel-probe avx9 1e-7 10 0")).isNull();
    assertThat(ProbeResult.parse("kernel-probe onednn-off 1e-7 10")).isNull(); // an older line
  }

  @Test
  void faster_keepsTheFastestTimeAndTheWorstError_andAnyFailure() {
    ProbeResult first = new ProbeResult(CpuKernels.NATIVE, 1e-6, 90, null);
    ProbeResult second = new ProbeResult(CpuKernels.NATIVE, 2e-6, 60, null);

    assertThat(KernelProbes.faster(first, second))
        .isEqualTo(new ProbeResult(CpuKernels.NATIVE, 2e-6, 60, null));
    assertThat(
            KernelProbes.faster(first, ProbeResult.failed(CpuKernels.NATIVE, "timed out"))
                .failure())
        .isEqualTo("timed out");
  }
}
