package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.imaginebot.engine.Progress;
import org.junit.jupiter.api.Test;

final class RunWatchTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final RunWatch run = new RunWatch(now::get);

  @Test
  void timeLeft_isThePaceSinceTheStart_notSinceQueued() {
    now.addAndGet(Duration.ofMinutes(5).toNanos()); // waited in the queue
    run.started();
    now.addAndGet(Duration.ofSeconds(10).toNanos());

    assertThat(run.progress(new Progress(25, 100, 0.5, 0.1, null)))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void previews_areKeptForATimelapse_onlyWhenThereAreSomeAndAButtonToAskForIt() {
    Timelapses timelapses = new Timelapses();
    byte[] finalPng = {9};
    assertThat(run.keepTimelapse(timelapses, "ref1", finalPng)).isFalse(); // no previews yet

    run.progress(new Progress(1, 10, 0.5, 0.1, new byte[] {1}));
    run.progress(new Progress(2, 10, 0.4, 0.1, null));
    run.progress(new Progress(3, 10, 0.3, 0.1, new byte[] {3}));

    assertThat(run.lastPreview()).containsExactly(3);
    assertThat(run.keepTimelapse(timelapses, null, finalPng)).isFalse(); // no buttons, no ref
    assertThat(run.keepTimelapse(timelapses, "ref1", finalPng)).isTrue();
    assertThat(timelapses.get("ref1").orElseThrow())
        .containsExactly(new byte[] {1}, new byte[] {3}, finalPng);
  }
}
