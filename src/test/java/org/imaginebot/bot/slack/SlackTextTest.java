package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class SlackTextTest {

  @Test
  void truncate_neverCutsAnEmojiInHalf() {
    String emoji = "\uD83E\uDD84"; // two chars
    String prompt = emoji.repeat(300); // a cut at 499 falls inside the 250th emoji

    String cut = SlackText.truncate(prompt, 500);

    assertThat(cut).isEqualTo(emoji.repeat(249) + "…");
    assertThat(SlackText.truncate("short", 500)).isEqualTo("short");
    assertThat(SlackText.truncate("abcdef", 4)).isEqualTo("abc…");
  }
}
