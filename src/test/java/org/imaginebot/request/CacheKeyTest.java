package org.imaginebot.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

final class CacheKeyTest {

  private static final String ENGINE = "engine=1;cutouts=32;files={tiny/generator=abc}";

  @Test
  void of_orderWhitespaceAndCase_giveTheSameKey() {
    CacheKey a = key(List.of(p("A Lighthouse", 1), p("oil painting", 0.5), p("blurry", -1)));
    CacheKey b =
        key(List.of(p("BLURRY", -1), p("  a \t lighthouse\n", 1), p("Oil   Painting", 0.5)));

    assertThat(b).isEqualTo(a);
  }

  @Test
  void of_weightsEqualToThreeDecimals_giveTheSameKey() {
    assertThat(key(List.of(p("a cat", 0.5004)))).isEqualTo(key(List.of(p("a cat", 0.5))));
    assertThat(key(List.of(p("a cat", 0.5005)))).isEqualTo(key(List.of(p("a cat", 0.501))));
    assertThat(key(List.of(p("a cat", 0.501)))).isNotEqualTo(key(List.of(p("a cat", 0.5))));
  }

  @Test
  void of_anyOtherFieldChanged_givesAnotherKey() {
    GenerationRequest base =
        request(List.of(p("a cat", 1), p("dark", -1)), "tiny", Strategy.ADAM, 100, 7);
    CacheKey key = CacheKey.of(base, ENGINE);

    List<GenerationRequest> changed =
        List.of(
            request(List.of(p("a dog", 1), p("dark", -1)), "tiny", Strategy.ADAM, 100, 7),
            request(List.of(p("a cat", 2), p("dark", -1)), "tiny", Strategy.ADAM, 100, 7),
            request(List.of(p("a cat", 1), p("dark", 1)), "tiny", Strategy.ADAM, 100, 7),
            request(List.of(p("a cat", 1)), "tiny", Strategy.ADAM, 100, 7),
            request(List.of(p("a cat", 1), p("dark", -1)), "biggan-128", Strategy.ADAM, 100, 7),
            request(List.of(p("a cat", 1), p("dark", -1)), "tiny", Strategy.SEARCH, 100, 7),
            request(List.of(p("a cat", 1), p("dark", -1)), "tiny", Strategy.ADAM, 101, 7),
            request(List.of(p("a cat", 1), p("dark", -1)), "tiny", Strategy.ADAM, 100, 8));

    assertThat(changed)
        .extracting(r -> CacheKey.of(r, ENGINE))
        .doesNotContain(key)
        .doesNotHaveDuplicates();
  }

  @Test
  void of_sizeChanged_givesAnotherKey_butSeedOriginDoesNot() {
    GenerationRequest request = request(List.of(p("a cat", 1)), "tiny", Strategy.ADAM, 100, 7);
    GenerationRequest larger =
        new GenerationRequest(request.prompts(), "tiny", Strategy.ADAM, 100, 7, 256, true);

    assertThat(CacheKey.of(larger, ENGINE)).isNotEqualTo(CacheKey.of(request, ENGINE));
    // A random seed that a user later types in again must find the image made with it.
    assertThat(CacheKey.of(request.withSeed(7, false), ENGINE))
        .isEqualTo(CacheKey.of(request, ENGINE));
  }

  @Test
  void of_imagePrompt_isPartOfTheKeyByContentAndWeight() {
    GenerationRequest request = request(List.of(p("a cat", 1)), "tiny", Strategy.ADAM, 100, 7);
    GenerationRequest withImage =
        request.withImages(List.of(new ImagePrompt(new byte[] {1, 2, 3}, 1.0)));

    assertThat(CacheKey.of(withImage, ENGINE))
        .isNotEqualTo(CacheKey.of(request, ENGINE))
        .isEqualTo(
            CacheKey.of(
                request.withImages(List.of(new ImagePrompt(new byte[] {1, 2, 3}, 1.0))), ENGINE))
        .isNotEqualTo(
            CacheKey.of(
                request.withImages(List.of(new ImagePrompt(new byte[] {1, 2, 4}, 1.0))), ENGINE))
        .isNotEqualTo(
            CacheKey.of(
                request.withImages(List.of(new ImagePrompt(new byte[] {1, 2, 3}, 0.5))), ENGINE));
  }

  @Test
  void of_fingerprintChanged_givesAnotherKey() {
    GenerationRequest request = request(List.of(p("a cat", 1)), "tiny", Strategy.ADAM, 100, 7);

    assertThat(CacheKey.of(request, ENGINE + "x")).isNotEqualTo(CacheKey.of(request, ENGINE));
  }

  @Test
  void of_knownRequest_hasAStableKey() {
    GenerationRequest request =
        request(
            List.of(p("a lighthouse", 1), p("oil painting", 0.5), p("blurry", -1)),
            "tiny",
            Strategy.ADAM,
            100,
            42);

    // Pinned: a change here silently invalidates every cached image, so it must be deliberate.
    assertThat(CacheKey.of(request, ENGINE).hex())
        .isEqualTo("32123cec9100e6fd9f31c6b8d84c30192d279fb50465f4ea0ecb08535d8c321e");
  }

  @Test
  void new_notSha256Hex_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CacheKey("../../etc/passwd"))
        .withMessageContaining("64 lower-case hex digits");
  }

  private static CacheKey key(List<WeightedPrompt> prompts) {
    return CacheKey.of(request(prompts, "tiny", Strategy.ADAM, 100, 7), ENGINE);
  }

  private static GenerationRequest request(
      List<WeightedPrompt> prompts, String model, Strategy strategy, int steps, long seed) {
    return new GenerationRequest(prompts, model, strategy, steps, seed);
  }

  private static WeightedPrompt p(String text, double weight) {
    return new WeightedPrompt(text, weight);
  }
}
