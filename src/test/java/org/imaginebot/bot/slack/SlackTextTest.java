package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.imaginebot.request.Echo;
import org.junit.jupiter.api.Test;

final class SlackTextTest {

  @Test
  void truncate_neverCutsAnEmojiInHalf() {
    String emoji = "\uD83E\uDD84"; // two chars
    String prompt = emoji.repeat(300); // a cut at 499 falls inside the 250th emoji

    String cut = Echo.cut(prompt, 500);

    assertThat(cut).isEqualTo(emoji.repeat(249) + "…");
    assertThat(Echo.cut("short", 500)).isEqualTo("short");
    assertThat(Echo.cut("abcdef", 4)).isEqualTo("abc…");
  }
}
