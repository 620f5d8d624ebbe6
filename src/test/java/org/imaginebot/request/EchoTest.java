package org.imaginebot.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How answers quote what the user typed (found by {@code bench fuzz}). */
final class EchoTest {

  @Test
  void of_hiddenCharacters_areShownByTheirCodePoint() {
    assertThat(Echo.of("\u202E5")).isEqualTo("<U+202E>5"); // would reverse the rest of the answer
    assertThat(Echo.of("5\u200B")).isEqualTo("5<U+200B>"); // "got '5'" would make no sense
    assertThat(Echo.of("a\u0000b\u001B[31m\n")).isEqualTo("a<U+0000>b<U+001B>[31m<U+000A>");
    assertThat(Echo.of("x\uD800")).isEqualTo("x<U+D800>");
    assertThat(Echo.of("\uFEFF\u2028\u2066")).isEqualTo("<U+FEFF><U+2028><U+2066>");
  }

  @Test
  void of_visibleText_emojiAndJoinersIncluded_isKeptAsTyped() {
    String family = "\uD83D\uDC69\u200D\uD83D\uDC67"; // woman, ZWJ, girl
    assertThat(Echo.of("ten " + family + " \u0645\u0646\u0627\u0631\u0629"))
        .isEqualTo("ten " + family + " \u0645\u0646\u0627\u0631\u0629");
  }

  @Test
  void of_longText_isCutWithItsLength() {
    String echoed = Echo.of("9".repeat(4000));

    assertThat(echoed).startsWith("9".repeat(Echo.MAX_SHOWN)).endsWith("\u2026 (4000 characters)");
    assertThat(echoed).hasSizeLessThan(Echo.MAX_SHOWN + 30);
    assertThat(Echo.of("9".repeat(Echo.MAX_SHOWN))).isEqualTo("9".repeat(Echo.MAX_SHOWN));
  }
}
