package org.imaginebot.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class RequestParserTest {

  private static final String OPTIONS =
      "options: --no, --seed, --steps, --size, --model, --strategy, --grid";

  @Test
  void parse_fullSlackLine_readsEveryPart() {
    ParsedRequest r =
        RequestParser.parse(
            "a lighthouse in a storm | oil painting:0.5 --no blurry --steps 300 --seed 7 --size 256 --model biggan-128"
                + " --strategy search");

    assertThat(r.prompts())
        .containsExactly(p("a lighthouse in a storm", 1), p("oil painting", 0.5), p("blurry", -1));
    assertThat(r.seed()).hasValue(7);
    assertThat(r.steps()).hasValue(300);
    assertThat(r.size()).hasValue(256);
    assertThat(r.model()).hasValue("biggan-128");
    assertThat(r.strategy()).hasValue(Strategy.SEARCH);
  }

  @Test
  void parse_promptOnly_leavesOptionsEmpty() {
    ParsedRequest r = RequestParser.parse("a cat");

    assertThat(r)
        .isEqualTo(
            new ParsedRequest(
                List.of(p("a cat", 1)),
                OptionalLong.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                Optional.empty(),
                false));
  }

  @Test
  void parse_grid_asksForAContactSheetOfAdamRuns_anythingElseIsRefusedSayingWhatIsOffered() {
    RequestBounds bounds = new RequestBounds("tiny", Strategy.ADAM, 100, 300, 512, true);

    GenerationRequest sheet =
        RequestParser.parse("a cat --grid 4 --steps 8").resolve(bounds, () -> 1);
    GenerationRequest single =
        RequestParser.parse("a cat --grid 1 --steps 8").resolve(bounds, () -> 1);

    assertThat(sheet.grid()).isEqualTo(GenerationRequest.GRID);
    assertThat(sheet.candidate(3).seed()).isEqualTo(sheet.seed() + 3);
    assertThat(sheet.candidate(3).steps()).isEqualTo(2);
    assertThat(single.grid()).isZero();
    assertThat(single.seed()).as("the derived seed ignores the grid").isEqualTo(sheet.seed());
    expectError("a cat --grid 3", "3")
        .withMessageContaining("--grid 3 is not offered: use --grid 4 for 4 seeds");
    expectError("a cat --grid -1", "-1").withMessageContaining("--grid -1 is not offered");
    assertThatExceptionOfType(RequestException.class)
        .isThrownBy(
            () -> RequestParser.parse("a cat --grid 4 --strategy search").resolve(bounds, () -> 1))
        .withMessageContaining("--grid 4 makes a contact sheet of adam runs");
  }

  @Test
  void parse_seedRandom_asksForAFreshSeed_inAnyCase() {
    assertThat(RequestParser.parse("a cat --seed random").freshSeed()).isTrue();
    assertThat(RequestParser.parse("a cat --SEED=Random").seed()).isEmpty();
    assertThat(RequestParser.parse("a cat --seed 7").freshSeed()).isFalse();
    expectError("a cat --seed random --seed 7", "--seed")
        .withMessage("--seed is given twice; give it once");
  }

  @Test
  void parse_flagsInAnyOrder_giveTheSameRequest() {
    ParsedRequest a = RequestParser.parse("a cat --seed 7 --steps 5 --no dark");
    ParsedRequest b = RequestParser.parse("--steps 5 --no dark --seed 7 a cat");
    ParsedRequest c = RequestParser.parse("--no dark --steps 5 a cat --seed 7");

    assertThat(b).isEqualTo(a);
    assertThat(c).isEqualTo(a);
  }

  @Test
  void parse_promptSplitAroundFlags_isJoinedInOrder() {
    ParsedRequest r = RequestParser.parse("a lighthouse --seed 1 in a --steps 9 storm");

    assertThat(r.prompts()).containsExactly(p("a lighthouse in a storm", 1));
    assertThat(r.seed()).hasValue(1);
    assertThat(r.steps()).hasValue(9);
  }

  @Test
  void parse_extraWhitespace_isCollapsedToSingleSpaces() {
    ParsedRequest r = RequestParser.parse("  a \t lighthouse\n\u00A0in  a storm  --seed\t3 ");

    assertThat(r.prompts()).containsExactly(p("a lighthouse in a storm", 1));
    assertThat(r.seed()).hasValue(3);
  }

  @Test
  void parse_flagEqualsValue_isLikeSeparateValue() {
    assertThat(
            RequestParser.parse(
                "a cat --seed=7 --steps=5 --size=64 --model=tiny --strategy=adam --no=dark"))
        .isEqualTo(
            RequestParser.parse(
                "a cat --seed 7 --steps 5 --size 64 --model tiny --strategy adam --no dark"));
  }

  @Test
  void parse_flagNames_ignoreCase() {
    ParsedRequest r = RequestParser.parse("a cat --SEED 7 --Steps 5 --NO dark --Strategy SEARCH");

    assertThat(r.seed()).hasValue(7);
    assertThat(r.steps()).hasValue(5);
    assertThat(r.strategy()).hasValue(Strategy.SEARCH);
    assertThat(r.prompts()).containsExactly(p("a cat", 1), p("dark", -1));
  }

  @Test
  void parse_emDash_worksAsDoubleDash() {
    assertThat(RequestParser.parse("a cat \u2014seed 7 \u2014no dark \u2014steps=5"))
        .isEqualTo(RequestParser.parse("a cat --seed 7 --no dark --steps 5"));
  }

  @Test
  void parse_dashesNotFollowedByALetter_areText() {
    ParsedRequest r = RequestParser.parse("a cat \u2014 a dog -- 1990s -x --5");

    assertThat(r.prompts()).containsExactly(p("a cat \u2014 a dog -- 1990s -x --5", 1));
  }

  @Test
  void parse_multiWordNo_runsUntilTheNextFlag() {
    ParsedRequest r = RequestParser.parse("a cat --no blurry dark --steps 5");

    assertThat(r.prompts()).containsExactly(p("a cat", 1), p("blurry dark", -1));
    assertThat(r.steps()).hasValue(5);
  }

  @Test
  void parse_noAtTheEnd_takesTheRestOfTheLine() {
    assertThat(RequestParser.parse("--seed 1 a cat --no low quality, watermark").prompts())
        .containsExactly(p("a cat", 1), p("low quality, watermark", -1));
  }

  @Test
  void parse_repeatedNo_givesOneNegativeEach() {
    assertThat(RequestParser.parse("a cat --no blurry --no text --seed 1 --no dark").prompts())
        .containsExactly(p("a cat", 1), p("blurry", -1), p("text", -1), p("dark", -1));
  }

  @Test
  void parse_noWithBarsAndWeights_usesThePromptLanguageNegated() {
    assertThat(RequestParser.parse("a cat --no blurry | text:0.5 | fog:-2 | 16:9 bars").prompts())
        .containsExactly(
            p("a cat", 1), p("blurry", -1), p("text", -0.5), p("fog", -2), p("16:9 bars", -1));
  }

  @Test
  void parse_quotedNoValue_isOneValue() {
    ParsedRequest r = RequestParser.parse("a cat --no \"low quality\" --seed 2");

    assertThat(r.prompts()).containsExactly(p("a cat", 1), p("low quality", -1));
  }

  @Test
  void parse_quotedFlagEqualsValue_dropsTheQuotes() {
    assertThat(RequestParser.parse("a cat --no=\"low   quality\" --model=\"tiny\"").prompts())
        .containsExactly(p("a cat", 1), p("low   quality", -1));
  }

  @Test
  void parse_curlyQuotes_groupLikeStraightOnes() {
    ParsedRequest r =
        RequestParser.parse("a cat --no \u201Clow quality\u201D --model \u201Cbig gan\u201D");

    assertThat(r.prompts()).containsExactly(p("a cat", 1), p("low quality", -1));
    assertThat(r.model()).hasValue("big gan");
  }

  @Test
  void parse_quotedFlagInPrompt_staysText() {
    ParsedRequest r = RequestParser.parse("a poster saying \"--no war\" --seed 3");

    assertThat(r.prompts()).containsExactly(p("a poster saying \"--no war\"", 1));
    assertThat(r.seed()).hasValue(3);
  }

  @Test
  void parse_unpairedQuote_isKeptAsText() {
    ParsedRequest r = RequestParser.parse("a 12\" vinyl record --seed 4");

    assertThat(r.prompts()).containsExactly(p("a 12\" vinyl record", 1));
    assertThat(r.seed()).hasValue(4);
  }

  @Test
  void parse_weightsInPrompt_areRead() {
    assertThat(RequestParser.parse("a castle:2 --steps 3 | fog:0.25 | rain:-1").prompts())
        .containsExactly(p("a castle", 2), p("fog", 0.25), p("rain", -1));
  }

  @Test
  void parse_negativeValueOfNumberFlag_isAValueNotAFlag() {
    expectError("a cat --steps -1", "-1").withMessage("--steps -1 is out of range: use 1 or more");
  }

  @Test
  void parse_unicodePrompt_isKept() {
    ParsedRequest r = RequestParser.parse("灯台と嵐 🌩️ | Ölgemälde:0.5 —seed 8");

    assertThat(r.prompts()).containsExactly(p("灯台と嵐 🌩️", 1), p("Ölgemälde", 0.5));
    assertThat(r.seed()).hasValue(8);
  }

  @Test
  void parse_seedLimits_areZeroAndTwoToThe53MinusOne() {
    assertThat(RequestParser.parse("a cat --seed 0").seed()).hasValue(0);
    assertThat(RequestParser.parse("a cat --seed 9007199254740991").seed())
        .hasValue(RequestParser.MAX_SEED);
    assertThat(RequestParser.parse("a cat --seed +5").seed()).hasValue(5);
  }

  @Test
  void parse_unknownFlag_suggestsTheNearestAndListsAll() {
    expectError("a cat --sed 7", "--sed")
        .withMessage("unknown option '--sed' (did you mean --seed?); " + OPTIONS);
    expectError("a cat \u2014stpes=7", "\u2014stpes")
        .withMessage("unknown option '\u2014stpes' (did you mean --steps?); " + OPTIONS);
    expectError("a cat --on blurry", "--on")
        .withMessage("unknown option '--on' (did you mean --no?); " + OPTIONS);
  }

  @Test
  void parse_unknownFlagFarFromAll_hasNoSuggestion() {
    expectError("a cat --width 512", "--width").withMessage("unknown option '--width'; " + OPTIONS);
    expectError("a cat --x 5", "--x").withMessage("unknown option '--x'; " + OPTIONS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a cat --steps",
        "a cat --steps --seed 5",
        "a cat --steps \u2014seed 5",
        "a cat --steps="
      })
  void parse_missingValue_namesTheFlag(String line) {
    expectError(line, "--steps").withMessage("option --steps needs a value: a whole number");
  }

  @Test
  void parse_missingValueOfEachFlag_saysWhatIsAllowed() {
    expectError("a cat --seed", "--seed")
        .withMessage(
            "option --seed needs a value: a whole number from 0 to 9007199254740991, or random for a new image");
    expectError("a cat --size", "--size")
        .withMessage("option --size needs a value: a whole number of pixels");
    expectError("a cat --model \"\"", "--model")
        .withMessage("option --model needs a value: a model id");
    expectError("a cat --strategy", "--strategy")
        .withMessage("option --strategy needs a value: one of adam, search, auto, evolve");
    expectError("a cat --no --seed 1", "--no")
        .withMessage(
            "option --no needs a value: the text to keep out of the image, e.g. --no blurry");
    expectError("a cat --NO", "--NO")
        .withMessage(
            "option --no needs a value: the text to keep out of the image, e.g. --no blurry");
  }

  @Test
  void parse_badNumber_quotesIt() {
    expectError("a cat --steps ten", "ten").withMessage("--steps needs a whole number, got 'ten'");
    expectError("a cat --size 512x512", "512x512")
        .withMessage("--size needs a whole number, got '512x512'");
    expectError("a cat --steps 1.5", "1.5").withMessage("--steps needs a whole number, got '1.5'");
    expectError("a cat --steps ٣", "٣").withMessage("--steps needs a whole number, got '٣'");
  }

  @Test
  void parse_badValues_areEchoedShort_andWithNothingHidden() { // found by bench fuzz
    expectError("a cat --steps \u202E5", "\u202E5")
        .withMessage("--steps needs a whole number, got '<U+202E>5'");
    expectError("a cat --seed 5\u200B", "5\u200B").withMessageEndingWith("got '5<U+200B>'");
    expectError("a cat --st\uFEFFeps 5", "--st\uFEFFeps")
        .withMessageStartingWith("unknown option '--st<U+FEFF>eps' (did you mean --steps?)");
    String digits = "9".repeat(3900);
    expectError("a cat --steps " + digits, digits)
        .withMessage(
            "--steps "
                + "9".repeat(Echo.MAX_SHOWN)
                + "\u2026 (3900 characters) is too large: use a smaller whole number");
    expectError("a cat --strategy adam\u200B", "adam\u200B")
        .withMessageStartingWith("unknown strategy 'adam<U+200B>'");
  }

  @Test
  void parse_hugeNumber_isTooLarge() {
    expectError("a cat --steps 99999999999", "99999999999")
        .withMessage("--steps 99999999999 is too large: use a smaller whole number");
    expectError("a cat --size 99999999999999999999999", "99999999999999999999999")
        .withMessageContaining("is too large");
  }

  @Test
  void parse_badSeed_namesTheRange() {
    expectError("a cat --seed abc", "abc")
        .withMessage(
            "--seed needs a whole number from 0 to 9007199254740991 or 'random', got 'abc'");
    expectError("a cat --seed -5", "-5")
        .withMessage(
            "--seed -5 is out of range: use 0 to 9007199254740991 (2^53-1, the largest seed every chat platform can carry)");
    expectError("a cat --seed 9007199254740992", "9007199254740992")
        .withMessageContaining("2^53-1");
    expectError("a cat --seed 99999999999999999999", "99999999999999999999")
        .withMessageContaining("out of range");
  }

  @Test
  void parse_sizeBelowMinimum_saysHowToGetNative() {
    expectError("a cat --size 0", "0")
        .withMessage(
            "--size 0 is out of range: use 16 or more pixels, or leave --size out for the model's own size");
  }

  @Test
  void parse_flagTwice_isRefused() {
    expectError("a cat --seed 1 --seed 2", "--seed")
        .withMessage("--seed is given twice; give it once");
    expectError("a cat --steps 1 \u2014STEPS=2", "\u2014STEPS")
        .withMessage("--steps is given twice; give it once");
    expectError("a cat --model a --model a", "--model")
        .withMessage("--model is given twice; give it once");
  }

  @Test
  void parse_unknownStrategy_listsAllowed() {
    ThrowableAssertAlternative<RequestException> error =
        expectError("a cat --strategy magic", "magic")
            .withMessage("unknown strategy 'magic'; allowed: adam, search, auto, evolve");
    error.withCauseInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "--seed 5",
        "--steps 3 --seed 5 \"\"",
        "\u2014seed 1",
        "\u200B --steps 5", // nothing visible (bench fuzz)
        "\uFEFF\u2060"
      })
  void parse_noPrompt_saysWhatToDo(String line) {
    expectError(line, "")
        .withMessage(
            "prompt may not be empty: describe the image you want, e.g. /imagine a lighthouse in a storm");
  }

  @Test
  void parse_noSwallowingThePrompt_explainsWhy() {
    expectError("--no blurry a lighthouse", "")
        .withMessage(
            "prompt may not be empty: describe the image you want, e.g. /imagine a lighthouse in a storm"
                + "; the words after --no, up to the next option, are what to avoid");
  }

  @Test
  void parse_onlyNegativePrompts_isRefused() {
    expectError("blurry:-1 --seed 1", "")
        .withMessageStartingWith("at least one prompt must have a positive weight");
  }

  @Test
  void parse_promptLanguageErrors_areRequestExceptions() {
    expectError("a cat || a dog --seed 1", "a cat || a dog")
        .withMessageContaining("empty part between '|'");
    expectError("a cat:0", "a cat:0")
        .withMessage("prompt weight must be a non-zero number, got 0.0");
    expectError("a cat | --seed 1", "a cat |").withMessageContaining("empty part between '|'");
    expectError("|| --seed 1", "||").withMessageContaining("empty part between '|'");
    expectError("a cat --no dark || fog", "dark || fog")
        .withMessageStartingWith("--no: prompt has an empty part between '|'");
    String longWord = "x".repeat(1200);
    expectError("a cat --no " + longWord, longWord)
        .withMessage("--no: prompt text must be at most 1000 characters, got 1200");
  }

  @Test
  void parse_promptOverThePromptLimit_namesIt() {
    String prompt = "y".repeat(1500);
    expectError(prompt + " --seed 1", prompt)
        .withMessage("prompt text must be at most 1000 characters, got 1500");
  }

  @Test
  void parse_lineOverTheLineLimit_isRefusedFirst() {
    expectError("a cat --sed 1 " + "x".repeat(10_000), "")
        .withMessage("request is too long: at most 4000 characters, got 10014");
  }

  @Test
  void parse_lineAtTheLineLimit_isParsed() {
    String line = "a cat | ".repeat(498) + "a dogs --seed 12";
    assertThat(line).hasSize(RequestParser.MAX_LINE_LENGTH);

    assertThat(RequestParser.parse(line).prompts()).hasSize(499);
  }

  @Test
  void parse_null_isMisuse() {
    assertThatNullPointerException().isThrownBy(() -> RequestParser.parse(null));
  }

  @Test
  void requestException_isAnIllegalArgumentException() {
    assertThat(new RequestException("bad", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad")
        .extracting(RequestException::token)
        .isEqualTo("");
  }

  @Test
  void distance_countsEditsAndSwaps() {
    assertThat(RequestParser.distance("sed", "seed")).isEqualTo(1);
    assertThat(RequestParser.distance("on", "no")).isEqualTo(1);
    assertThat(RequestParser.distance("stpes", "steps")).isEqualTo(1);
    assertThat(RequestParser.distance("", "size")).isEqualTo(4);
    assertThat(RequestParser.distance("model", "model")).isZero();
  }

  static ThrowableAssertAlternative<RequestException> expectError(String line, String token) {
    return assertThatExceptionOfType(RequestException.class)
        .isThrownBy(() -> RequestParser.parse(line))
        .satisfies(e -> assertThat(e.token()).isEqualTo(token));
  }

  static WeightedPrompt p(String text, double weight) {
    return new WeightedPrompt(text, weight);
  }
}
