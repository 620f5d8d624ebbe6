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

  /** Bounds of a bot with {@code cache.seedFromPrompt} off: a left-out seed is random. */
  private static final RequestBounds BOUNDS =
      new RequestBounds("tiny", Strategy.ADAM, 100, 300, 512, false);

  private static final RequestBounds DERIVING =
      new RequestBounds("tiny", Strategy.ADAM, 100, 300, 512, true);
  private static final LongSupplier NO_RANDOM =
      () -> {
        throw new AssertionError("random seed must not be drawn when --seed is given");
      };

  @Test
  void resolve_allOptionsGiven_usesThem() {
    GenerationRequest r =
        resolve(
            "a cat --no dark --seed 7 --steps 300 --size 512 --model biggan-128"
                + " --strategy search",
            NO_RANDOM);

    assertThat(r)
        .isEqualTo(
            new GenerationRequest(
                List.of(p("a cat", 1), p("dark", -1)),
                "biggan-128",
                Strategy.SEARCH,
                300,
                7,
                512,
                true));
  }

  @Test
  void resolve_optionsLeftOut_takeTheDefaults() {
    GenerationRequest r = resolve("a cat", () -> 42);

    assertThat(r)
        .isEqualTo(
            new GenerationRequest(
                List.of(p("a cat", 1)),
                "tiny",
                Strategy.ADAM,
                100,
                42,
                GenerationRequest.NATIVE_SIZE,
                false));
  }

  @Test
  void resolve_withoutSeed_drawsARandomOneAndIsNotExplicit() {
    GenerationRequest r = resolve("a cat --steps 5", () -> 123);

    assertThat(r.seed()).isEqualTo(123);
    assertThat(r.seedSource()).isEqualTo(SeedSource.RANDOM);
    assertThat(r.cacheable()).isFalse();
  }

  @Test
  void resolve_withoutSeed_whereSeedsAreDerived_givesTheSameCacheableSeedForTheSameRequest() {
    GenerationRequest first =
        RequestParser.parse("a red bicycle --no rust --steps 5").resolve(DERIVING, NO_RANDOM);
    GenerationRequest again =
        RequestParser.parse("A  red bicycle --steps 5 --no rust").resolve(DERIVING, NO_RANDOM);
    GenerationRequest otherSteps =
        RequestParser.parse("a red bicycle --no rust --steps 6").resolve(DERIVING, NO_RANDOM);
    GenerationRequest otherNegative =
        RequestParser.parse("a red bicycle --steps 5").resolve(DERIVING, NO_RANDOM);

    assertThat(first.seedSource()).isEqualTo(SeedSource.DERIVED);
    assertThat(first.cacheable()).isTrue();
    assertThat(again.seed()).as("same canonical request, same seed").isEqualTo(first.seed());
    assertThat(first.seed()).isBetween(0L, RequestParser.MAX_SEED);
    assertThat(List.of(otherSteps.seed(), otherNegative.seed())).doesNotContain(first.seed());
    assertThat(first.seed()).isEqualTo(DerivedSeed.of(first));
  }

  @Test
  void resolve_seedRandom_whereSeedsAreDerived_drawsARandomOne() {
    GenerationRequest r =
        RequestParser.parse("a red bicycle --seed random").resolve(DERIVING, () -> 77);

    assertThat(r.seed()).isEqualTo(77);
    assertThat(r.seedSource()).isEqualTo(SeedSource.RANDOM);
  }

  @Test
  void derivedSeed_followsImagePrompts_butATypedSeedStays() {
    GenerationRequest derived = RequestParser.parse("a red bicycle").resolve(DERIVING, NO_RANDOM);
    GenerationRequest typed =
        RequestParser.parse("a red bicycle --seed 3").resolve(DERIVING, NO_RANDOM);
    List<ImagePrompt> image = List.of(new ImagePrompt(new byte[] {1, 2, 3}, 1.0));

    assertThat(derived.withImages(image).seed())
        .isNotEqualTo(derived.seed())
        .isEqualTo(DerivedSeed.of(derived.withImages(image)));
    assertThat(typed.withImages(image).seed()).isEqualTo(3);
  }

  @Test
  void constructor_seedAndFreshSeedTogether_isRefused() {
    assertThatExceptionOfType(RequestException.class)
        .isThrownBy(
            () ->
                new ParsedRequest(
                    List.of(p("a cat", 1)),
                    OptionalLong.of(3),
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    true))
        .withMessageContaining("--seed random makes a new one");
  }

  @Test
  void resolve_withSeed_isExplicit() {
    GenerationRequest r = resolve("a cat --seed 0", NO_RANDOM);

    assertThat(r.seed()).isZero();
    assertThat(r.seedSource()).isEqualTo(SeedSource.TYPED);
  }

  @Test
  void resolve_randomSeed_isCutToWhatAUserCanTypeBack() {
    GenerationRequest negative = resolve("a cat", () -> -1L);
    GenerationRequest large = resolve("a cat", () -> Long.MAX_VALUE);

    assertThat(negative.seed()).isEqualTo(RequestParser.MAX_SEED);
    assertThat(large.seed()).isEqualTo(RequestParser.MAX_SEED);
    assertThat(RequestParser.parse("a cat --seed " + negative.seed()).seed())
        .hasValue(negative.seed());
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
    expectError("a cat --steps 500", "500")
        .withMessage("--steps 500 is out of range: use 1 to 300");
    expectError("a cat --steps 301", "301")
        .withMessage("--steps 301 is out of range: use 1 to 300");
  }

  @Test
  void resolve_sizeOverTheMaximum_namesTheFlagAndRange() {
    expectError("a cat --size 1024", "1024")
        .withMessage(
            "--size 1024 is out of range: use 16 to 512 pixels, or leave --size out for the model's own size");
  }

  @Test
  void constructor_outOfRangeValues_areRefused() {
    assertThatExceptionOfType(RequestException.class)
        .isThrownBy(
            () ->
                request(
                    OptionalLong.of(RequestParser.MAX_SEED + 1),
                    OptionalInt.empty(),
                    OptionalInt.empty()))
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
    ParsedRequest r =
        new ParsedRequest(
            prompts,
            OptionalLong.empty(),
            OptionalInt.empty(),
            OptionalInt.empty(),
            Optional.empty(),
            Optional.empty(),
            false);
    prompts.add(p("a dog", 1));

    assertThat(r.prompts()).containsExactly(p("a cat", 1));
  }

  @Test
  void bounds_invalid_areRefusedWithTheField() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RequestBounds(" ", Strategy.ADAM, 1, 1, 16, true))
        .withMessage("defaultModel may not be blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RequestBounds("tiny", null, 1, 1, 16, true))
        .withMessage("defaultStrategy may not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 1, 0, 16, true))
        .withMessage("maxSteps must be at least 1, got 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 301, 300, 16, true))
        .withMessage("defaultSteps must be from 1 to maxSteps (300), got 301");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 0, 300, 16, true))
        .withMessageContaining("got 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 1, 1, 4096, true))
        .withMessage("maxSize must be from 16 to 2048, got 4096");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RequestBounds("tiny", Strategy.ADAM, 1, 1, 15, true))
        .withMessageContaining("got 15");
  }

  private static ParsedRequest request(OptionalLong seed, OptionalInt steps, OptionalInt size) {
    return new ParsedRequest(
        List.of(p("a cat", 1)), seed, steps, size, Optional.empty(), Optional.empty(), false);
  }

  private static GenerationRequest resolve(String line, LongSupplier random) {
    return RequestParser.parse(line).resolve(BOUNDS, random);
  }

  private static ThrowableAssertAlternative<RequestException> expectError(
      String line, String token) {
    ParsedRequest parsed = RequestParser.parse(line);
    return assertThatExceptionOfType(RequestException.class)
        .isThrownBy(() -> parsed.resolve(BOUNDS, () -> 1))
        .satisfies(e -> assertThat(e.token()).isEqualTo(token));
  }

  private static WeightedPrompt p(String text, double weight) {
    return new WeightedPrompt(text, weight);
  }
}
