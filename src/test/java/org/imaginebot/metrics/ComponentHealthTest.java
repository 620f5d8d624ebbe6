package org.imaginebot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

final class ComponentHealthTest {

  @Test
  void upAndDown_setTheFlagAndKeepTheDetail() {
    assertThat(ComponentHealth.up("3 queued")).isEqualTo(new ComponentHealth(true, "3 queued"));
    assertThat(ComponentHealth.down("disconnected"))
        .isEqualTo(new ComponentHealth(false, "disconnected"));
  }

  @Test
  void new_nullDetail_isRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ComponentHealth.up(null))
        .withMessage("detail must not be null; use \"\" for none");
  }
}
