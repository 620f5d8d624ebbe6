package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryProbeTest {

  @Test
  void growthComparesTheMediansOfBothEnds_soOneSpikeMovesNothing() {
    List<Double> flatWithSpikes =
        List.of(400.0, 470.0, 400.0, 401.0, 399.0, 400.0, 474.0, 402.0, 400.0, 401.0);
    // medians 400 and 401: the two spikes of 70 MB count for nothing
    assertThat(MemoryProbe.growthPct(flatWithSpikes)).isEqualTo(0.3);
  }

  @Test
  void aSteadyClimbIsGrowth() {
    List<Double> climbing =
        List.of(100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0);
    assertThat(MemoryProbe.growthPct(climbing)).isEqualTo(4.9); // medians 102 and 107
  }

  @Test
  void aSeriesFromZeroGrewOnlyIfItLeftZero() {
    assertThat(MemoryProbe.growthPct(List.of(0.0, 0.0, 0.0))).isZero();
    assertThat(MemoryProbe.growthPct(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 3.0, 3.0, 3.0, 3.0)))
        .isEqualTo(100);
    assertThat(MemoryProbe.growthPct(List.of())).isZero();
  }

  @Test
  void aSampleReadsThisProcess() {
    MemoryProbe.Sample s = MemoryProbe.sample();
    assertThat(s.heapMb()).isPositive();
    assertThat(s.rssMb()).as("Linux VmRSS, larger than the heap in use").isGreaterThan(s.heapMb());
  }
}
