package org.imaginebot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RunStateTest {

  private static RunState state() {
    return new RunState(
        7,
        0.125,
        0.5,
        3,
        List.of(
            new RunState.Array("latent.0", new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, -0f, 6}),
            new RunState.Array("adam.m.0", new long[] {2}, new float[] {Float.MIN_VALUE, 1e30f}),
            new RunState.Array("scalar", new long[] {}, new float[] {42})));
  }

  @Test
  void roundTrip_givesTheSameStateBitForBit() {
    RunState state = state();
    byte[] bytes = state.toBytes();

    RunState back = RunState.fromBytes(bytes);

    assertThat(back).isEqualTo(state);
    assertThat(back.toBytes()).isEqualTo(bytes);
    assertThat(back.step()).isEqualTo(7);
    assertThat(back.bestScore()).isEqualTo(0.5);
    assertThat(back.array("latent.0").orElseThrow().shape()).containsExactly(2, 3);
    assertThat(Float.floatToRawIntBits(back.array("latent.0").orElseThrow().values()[4]))
        .isEqualTo(Float.floatToRawIntBits(-0f));
    assertThat(bytes).startsWith('I', 'B', 'R', 'S', 1, 0, 0, 0, 7, 0, 0, 0);
  }

  @Test
  void garbage_isRefusedSayingWhy() {
    byte[] good = state().toBytes();
    byte[] flipped = good.clone();
    flipped[40] ^= 1;
    byte[] otherVersion = good.clone();
    otherVersion[4] = 9;

    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunState.fromBytes(new byte[] {1, 2, 3}))
        .withMessageContaining("not a run state");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunState.fromBytes("hello, world, this is text".getBytes()))
        .withMessageContaining("not a run state");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunState.fromBytes(flipped))
        .withMessageContaining("checksum");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunState.fromBytes(Arrays.copyOf(good, good.length - 9)))
        .withMessageContaining("run state");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunState.fromBytes(otherVersion))
        .withMessageContaining("version 9");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new RunState.Array("x", new long[] {2, 2}, new float[3])) // shape vs values
        .withMessageContaining("holds 4 values");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new RunState(
                    1,
                    0,
                    0,
                    1,
                    List.of(
                        new RunState.Array("a", new long[] {1}, new float[1]),
                        new RunState.Array("a", new long[] {1}, new float[1]))))
        .withMessageContaining("twice");
  }
}
