package org.imaginebot.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

final class QueueTypesTest {

  @Test
  void jobId_randomIsTenUrlSafeCharacters() {
    for (int i = 0; i < 100; i++) {
      assertThat(JobId.random().value()).matches("[A-Za-z0-9_-]{10}");
    }
  }

  @Test
  void jobId_rejectsUnsafeCharacters() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new JobId("a/b"))
        .withMessageContaining("got 'a/b'");
  }

  @Test
  void queueLimits_mustBePositive() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new QueueLimits(0, 3))
        .withMessage("maxQueued must be at least 1, got 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new QueueLimits(50, -1))
        .withMessage("maxQueuedPerUser must be at least 1, got -1");
  }
}
