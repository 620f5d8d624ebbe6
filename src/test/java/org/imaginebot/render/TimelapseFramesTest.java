package org.imaginebot.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TimelapseFramesTest {

  private static byte[] frame(int n) {
    return new byte[] {(byte) n};
  }

  private static List<Integer> kept(TimelapseFrames frames) {
    return frames.frames(null).stream().map(b -> (int) b[0]).toList();
  }

  @Test
  void add_underTheCap_keepsEveryFrame() {
    TimelapseFrames frames = new TimelapseFrames(8);
    for (int i = 0; i < 5; i++) {
      frames.add(frame(i));
    }

    assertThat(kept(frames)).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void add_pastTheCap_keepsEvenlySpacedFramesFromTheStart() {
    TimelapseFrames frames = new TimelapseFrames(4);
    for (int i = 0; i < 16; i++) {
      frames.add(frame(i));
    }

    assertThat(frames.size()).isLessThanOrEqualTo(4);
    assertThat(kept(frames)).startsWith(0).isSorted();
    List<Integer> k = kept(frames);
    for (int i = 1; i < k.size(); i++) {
      assertThat(k.get(i) - k.get(i - 1)).as("even spacing").isEqualTo(k.get(1) - k.get(0));
    }
  }

  @Test
  void frames_withTheFinalImage_endsWithIt() {
    TimelapseFrames frames = new TimelapseFrames(4);
    frames.add(frame(1));

    assertThat(frames.frames(frame(9)))
        .hasSize(2)
        .last()
        .satisfies(b -> assertThat(b[0]).isEqualTo((byte) 9));
  }
}
