package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.imaginebot.bench.FuzzCase.Option;
import org.imaginebot.bench.FuzzCase.Text;
import org.junit.jupiter.api.Test;

final class FuzzCasesTest {

  @Test
  void seeded_sameSeed_sameCases_otherSeed_otherCases() {
    List<String> first = lines(FuzzCases.seeded(42).take(300));

    assertThat(lines(FuzzCases.seeded(42).take(300))).isEqualTo(first);
    assertThat(lines(FuzzCases.seeded(43).take(300))).isNotEqualTo(first);
  }

  @Test
  void take_tenThousand_coversEveryKindAndTheNastyPieces() {
    List<FuzzCase> cases = FuzzCases.seeded(1).take(10_000);
    List<String> lines = lines(cases);

    assertThat(cases.stream().map(FuzzCase::kind).distinct()).hasSameSizeAs(FuzzCases.KINDS);
    assertThat(lines)
        .anyMatch(l -> l.length() >= 10_000)
        .anyMatch(String::isEmpty)
        .anyMatch(l -> l.contains("\u0000"))
        .anyMatch(l -> l.contains("\u202E"))
        .anyMatch(l -> l.contains("\u200B"))
        .anyMatch(l -> l.contains("\uD800") && !l.contains("\uD800\uDC00"))
        .anyMatch(l -> l.contains("\uD83D\uDC69\u200D\uD83D\uDC69"))
        .anyMatch(l -> l.contains("<!channel>"))
        .anyMatch(l -> l.contains("<@everyone>"))
        .anyMatch(l -> l.contains("@here"))
        .anyMatch(l -> l.contains("`"))
        .anyMatch(l -> l.contains("\n"))
        .anyMatch(l -> l.contains("'; DROP TABLE jobs;--"))
        .anyMatch(l -> l.contains("a:1e308 | b:-1e308 | :"))
        .anyMatch(l -> l.contains("a:NaN"))
        .anyMatch(l -> l.contains("--steps -1") || l.contains("--steps=-1"))
        .anyMatch(l -> l.contains("--steps 99999999999") || l.contains("--steps=99999999999"))
        .anyMatch(l -> l.contains("--seed random") || l.contains("--seed=random"))
        .anyMatch(l -> l.contains("--seed -5") || l.contains("--seed=-5"))
        .anyMatch(l -> l.contains("--size 0") || l.contains("--size=0"))
        .anyMatch(l -> l.contains("--unknown"))
        .anyMatch(l -> l.contains("--steps 5 --steps 6"));
    // the words answers are checked for never come from the input
    assertThat(lines).noneMatch(l -> l.contains("Exception") || l.contains("org.imaginebot"));
  }

  @Test
  void aCase_isALineForSlack_andPromptPlusFieldsForDiscord() {
    FuzzCase c =
        new FuzzCase(
            7,
            "bounds",
            List.of(
                new Text("a cat"),
                new Option("--steps", "5", false),
                new Option("--unknown", "x", false),
                new Option("--seed", "3", true),
                new Option("--steps", "6", false)),
            " ");

    assertThat(c.line()).isEqualTo("a cat --steps 5 --unknown x --seed=3 --steps 6");
    assertThat(c.options()).isEqualTo(Map.of("steps", "5", "seed", "3"));
    assertThat(c.prompt()).isEqualTo("a cat --unknown x --steps 6");
  }

  @Test
  void literal_escapesWhatATerminalWouldHide_andCutsLongLines() {
    assertThat(FuzzCase.literal("a\u202E\"\\\n\u0000", 100))
        .isEqualTo("\"a\\u202E\\\"\\\\\\n\\u0000\"");
    assertThat(FuzzCase.literal("x".repeat(50), 10)).isEqualTo("\"xxxxxxxxxx\" ... (50 chars)");
  }

  @Test
  void answers_clearOrNot() {
    assertThat(FuzzAnswers.problem("--steps needs a whole number, got '<U+202E>5'")).isEmpty();
    assertThat(FuzzAnswers.problem("a \uD83D\uDC69\u200D\uD83D\uDC67 family")).isEmpty();
    assertThat(FuzzAnswers.problem(" ")).contains("blank");
    assertThat(FuzzAnswers.problem("java.lang.IllegalStateException: x"))
        .contains("internals: Exception");
    assertThat(FuzzAnswers.problem("x".repeat(2001))).contains("too long for a chat message");
    assertThat(FuzzAnswers.problem("got '\u202E5'")).contains("hidden character U+202E");
    assertThat(FuzzAnswers.problem("got '5\uD800'")).contains("hidden character U+D800");
  }

  private static List<String> lines(List<FuzzCase> cases) {
    return cases.stream().map(FuzzCase::line).toList();
  }
}
