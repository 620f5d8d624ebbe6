package org.imaginebot.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class QueueBenchmarkTest {

  @Test
  void run_smallLoadGivesSaneFigures() {
    QueueBenchmark.Result result = QueueBenchmark.run(5, 4, 20, 1);

    assertThat(result.admissionsPerSec()).isPositive();
    assertThat(result.p99AdmitMicros()).isNotNegative();
    assertThat(result.jainFairness()).isEqualTo(1.0); // round-robin serves 6 users 4 times each
    assertThat(result.toJson())
        .matches(
            "\\{\"admissions_per_sec\":[0-9.]+,\"jain_fairness\":1\\.000000,"
                + "\"p99_admit_us\":[0-9.]+}");
  }

  @Test
  void run_withoutFlooderIsAlsoFair() {
    assertThat(QueueBenchmark.run(3, 2, 0, 9).jainFairness()).isEqualTo(1.0);
  }

  @Test
  void jain_halfWhenOneOfTwoUsersGetsEverything() {
    assertThat(QueueBenchmark.jain(Map.of("a", 4), 2)).isEqualTo(0.5);
    assertThat(QueueBenchmark.jain(Map.of("a", 3, "b", 3), 2)).isEqualTo(1.0);
  }
}
