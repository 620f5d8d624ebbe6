package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class PhaseTimerTest {

  @Test
  void end_chargesTheTimeSinceThePreviousMark_toThePhase() {
    AtomicLong now = new AtomicLong();
    PhaseTimer timer = new PhaseTimer(now::get);
    for (int step = 0; step < 2; step++) {
      timer.start();
      now.addAndGet(3_000_000);
      timer.end(PhaseTimer.Phase.GENERATOR);
      now.addAndGet(1_000_000);
      timer.end(PhaseTimer.Phase.CLIP);
      now.addAndGet(500_000); // between steps: no phase's
    }

    assertThat(timer.millisPer(2))
        .containsExactly(
            java.util.Map.entry("generator", 3.0),
            java.util.Map.entry("cutouts", 0.0),
            java.util.Map.entry("clip", 1.0),
            java.util.Map.entry("backward", 0.0),
            java.util.Map.entry("adam", 0.0),
            java.util.Map.entry("preview", 0.0));
  }

  @Test
  void reset_forgetsWarmUp_andOffReadsNoClock() {
    AtomicLong reads = new AtomicLong();
    PhaseTimer timer = new PhaseTimer(reads::incrementAndGet);
    timer.start();
    timer.end(PhaseTimer.Phase.ADAM);
    timer.reset();

    assertThat(timer.millisPer(1).values()).containsOnly(0.0);
    PhaseTimer.OFF.start();
    PhaseTimer.OFF.end(PhaseTimer.Phase.ADAM);
    assertThat(PhaseTimer.OFF.millisPer(1).values()).containsOnly(0.0);
  }
}
