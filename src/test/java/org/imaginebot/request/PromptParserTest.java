package org.imaginebot.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

final class PromptParserTest {

  @Test
  void parse_weightedPrompts_splitOnBarWithWeights() {
    assertThat(PromptParser.parse("a lighthouse in a storm | oil painting:0.5 | blurry:-1"))
        .containsExactly(
            new WeightedPrompt("a lighthouse in a storm", 1.0),
            new WeightedPrompt("oil painting", 0.5),
            new WeightedPrompt("blurry", -1.0));
  }

  @Test
  void parse_colonInsideText_isNotAWeight() {
    assertThat(PromptParser.parse("a 16:9 panorama"))
        .containsExactly(new WeightedPrompt("a 16:9 panorama", 1.0));
  }

  @Test
  void parse_emptyOrBlank_saysWhatToDo() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PromptParser.parse("   "))
        .withMessage("prompt may not be empty: describe the image you want");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PromptParser.parse("a cat || a dog"))
        .withMessageContaining("empty part between '|'");
  }

  @Test
  void parse_emptyPartAtEitherEnd_orOnlyBars_isAnEmptyPart() { // "a|" was read as "a", "||" as none
    for (String input : new String[] {"a cat |", "| a cat", "||", "|", "a cat | \u200B"}) {
      assertThatIllegalArgumentException()
          .as(input)
          .isThrownBy(() -> PromptParser.parse(input))
          .withMessageContaining("empty part between '|'");
    }
  }

  @Test
  void parse_nothingVisible_isEmpty() {
    for (String input : new String[] {"\u200B", "\uFEFF\u2060 \u200D", "\u3164", "\u0000\u0007"}) {
      assertThatIllegalArgumentException()
          .as(input)
          .isThrownBy(() -> PromptParser.parse(input))
          .withMessage("prompt may not be empty: describe the image you want");
    }
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> PromptParser.withNegatives(PromptParser.parse("a cat"), List.of("\u200B")))
        .withMessageContaining("negative prompt may not be empty");
  }

  @Test
  void parse_unpairedSurrogate_isRefused_asPostgresqlWouldStoreItAsAQuestionMark() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PromptParser.parse("a \uD83D cat"))
        .withMessage(
            "prompt has a broken character (half of a character such as an emoji, <U+D83D>, at"
                + " position 3); retype the prompt without it");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> PromptParser.withNegatives(PromptParser.parse("a cat"), List.of("\uDE00")))
        .withMessageContaining("broken character");
    assertThat(PromptParser.parse("a \uD83D\uDE00 cat")) // a whole emoji is fine
        .containsExactly(new WeightedPrompt("a \uD83D\uDE00 cat", 1.0));
  }

  @Test
  void parse_zeroWeight_isRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PromptParser.parse("a cat:0"))
        .withMessageContaining("non-zero");
  }

  @Test
  void parse_tooLong_namesTheLimit() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PromptParser.parse("x".repeat(10_000)))
        .withMessage("prompt text must be at most 1000 characters, got 10000");
  }

  @Test
  void withNegatives_addsWeightMinusOne() {
    assertThat(PromptParser.withNegatives(PromptParser.parse("a castle"), List.of("fog")))
        .containsExactly(new WeightedPrompt("a castle", 1.0), new WeightedPrompt("fog", -1.0));
  }

  @Test
  void request_onlyNegativePrompts_isRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new GenerationRequest(
                    PromptParser.parse("blurry:-1"), "tiny", Strategy.ADAM, 10, 1))
        .withMessage("at least one prompt must have a positive weight");
  }

  @Test
  void strategy_parse_isCaseInsensitiveAndListsAllowed() {
    assertThat(Strategy.parse(" Search ")).isEqualTo(Strategy.SEARCH);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Strategy.parse("magic"))
        .withMessage("unknown strategy 'magic'; allowed: adam, search, auto, evolve");
  }
}
