package org.imaginebot.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;

final class ParsedRequestTest {

  private static final RequestBounds BOUNDS = new RequestBounds("tiny", Strategy.ADAM, 100, 300, 512);
  private static final LongSupplier NO_RANDOM = () -> {
    throw new AssertionError("random seed must not be drawn when --seed is given");
  };

  @Test
  void resolve_allOptionsGiven_usesThem() {
    GenerationRequest r = resolve("a cat --no dark --seed 7 --steps 300 --size 512 --model biggan-128"
        + " --strategy search", NO_RANDOM);

    assertThat(r).isEqualTo(new GenerationRequest(
        List.of(p("a cat", 1), p("dark", -1)), "biggan-128", Strategy.SEARCH, 300, 7, 512, true));
  }

  @Test
  void resolve_optionsLeftOut_takeTheDefaults() {
    GenerationRequest r = resolve("a cat", () -> 42);

    assertThat(r).isEqualTo(new GenerationRequest(
        List.of(p("a cat", 1)), "tiny", Strategy.ADAM, 100, 42, GenerationRequest.NATIVE_SIZE, false));
  }

  @Test
  void resolve_withoutSeed_drawsARandomOneAndIsNotExplicit() {
    GenerationRequest r = resolve("a cat --steps 5", () -> 123);

    assertThat(r.seed()).isEqualTo(123);
    assertThat(r.explicitSeed()).isFalse();
  }

  @Test
  void resolve_withSeed_isExplicit() {
    GenerationRequest r = resolve("a cat --seed 0", NO_RANDOM);

    assertThat(r.seed()).isZero();
    assertThat(r.explicitSeed()).isTrue();
  }

  @Test
  void resolve_randomSeed_isCutToWhatAUserCanTypeBack() {
    GenerationRequest negative = resolve("a cat", () -> -1L);
    GenerationRequest large = resolve("a cat", () -> Long.MAX_VALUE);

    assertThat(negative.seed()).isEqualTo(RequestParser.MAX_SEED);
    assertThat(large.seed()).isEqualTo(RequestParser.MAX_SEED);
    assertThat(RequestParser.parse("a cat --seed " + negative.seed()).seed()).hasValue(negative.seed());
  }

  @Test
  void resolve_sizeGivenOrNot_isGivenOrNative() {
    assertThat(resolve("a cat", () -> 1).size()).isEqualTo(GenerationRequest.NATIVE_SIZE);
    assertThat(resolve("a cat --size 16", () -> 1).size()).isEqualTo(16);
    assertThat(resolve("a cat --size 512", () -> 1).size()).isEqualTo(512);
  }

  @Test
  void resolve_stepsAtTheLimits_areAccepted() {
    assertThat(resolve("a cat --steps 1", () -> 1).steps()).isEqualTo(1);
    assertThat(resolve("a cat --steps 300", () -> 1).steps()).isEqualTo(300);
  }

  @Test
  void resolve_stepsOverTheMaximum_namesTheFlagAndRange() {
    expectError("a cat --steps 500", "500").withMessage("--steps 500 is out of range: use 1 to 300");
    expectError("a cat --steps 301", "301").withMessage("--steps 301 is out of range: use 1 to 300");
  }

  @Test
  void resolve_sizeOverTheMaximum_namesTheFlagAndRange() {
    expectError("a cat --size 1024", "1024").withMessage(
        "--size 1024 is out of range: use 16 to 512 pixels, or leave --size out for the model's own size");
  }

  @Test
  void constructor_outOfRangeValues_areRefused() {
    assertThatExceptionOfType(RequestException.class)
        .isThrownBy(() -> request(
            OptionalLong.of(RequestParser.MAX_SEED + 1), OptionalInt.empty(), OptionalInt.empty()))
        .withMessageContaining("2^53-1");
    assertThatExceptionOfType(RequestException.class)
        .isThrownBy(() -> request(OptionalLong.empty(), OptionalInt.of(0), OptionalInt.empty()))
        .withMessage("--steps 0 is out of range: use 1 or more");
    assertThatExceptionOfType(RequestException.class)
        .isThrownBy(() -> request(OptionalLong.empty(), OptionalInt.empty(), OptionalInt.of(8)))
        .withMessageStartingWith("--size 8 is out of range");
  }

  @Test
  void constructor_copiesPrompts() {
    List<WeightedPrompt> prompts = new ArrayList<>(List.of(p("a cat", 1)));
    ParsedRequest r = new ParsedRequest(prompts, OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty(),
        Optional.empty(), Optional.empty());
    prompts.add(p("a dog", 1));

    assertThat(r.prompts()).containsExactly(p("a cat", 1));
  }

  @Test
  void bounds_invalid_areRefusedWithTheField() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RequestBounds(" ", Strategy.ADAM, 1, 1, 16))
        .withMessage("defaultModel may not be blank");
    assertThatIllegalArgumentException().isThrownBy(() -> new RequestBounds("tiny", null, 1, 1, 16))
        .withMessage("defaultStrategy may not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 1, 0, 16))
        .withMessage("maxSteps must be at least 1, got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 301, 300, 16))
        .withMessage("defaultSteps must be from 1 to maxSteps (300), got 301");
    assertThatIllegalArgumentException().isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 0, 300, 16))
        .withMessageContaining("got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 1, 1, 4096))
        .withMessage("maxSize must be from 16 to 2048, got 4096");
    assertThatIllegalArgumentException().isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 1, 1, 15))
        .withMessageContaining("got 15");
  }

  private static ParsedRequest request(OptionalLong seed, OptionalInt steps, OptionalInt size) {
    return new ParsedRequest(List.of(p("a cat", 1)), seed, steps, size, Optional.empty(), Optional.empty());
  }

  private static GenerationRequest resolve(String line, LongSupplier random) {
    return RequestParser.parse(line).resolve(BOUNDS, random);
  }

  private static ThrowableAssertAlternative<RequestException> expectError(String line, String token) {
    ParsedRequest parsed = RequestParser.parse(line);
    return assertThatExceptionOfType(RequestException.class)
        .isThrownBy(() -> parsed.resolve(BOUNDS, () -> 1))
        .satisfies(e -> assertThat(e.token()).isEqualTo(token));
  }

  private static WeightedPrompt p(String text, double weight) {
    return new WeightedPrompt(text, weight);
  }
}
