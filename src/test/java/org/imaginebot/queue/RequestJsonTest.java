package org.imaginebot.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.SeedSource;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.junit.jupiter.api.Test;

final class RequestJsonTest {

  @Test
  void roundTrip_keepsWeightsNegativesStrategyAndSeed() {
    GenerationRequest request =
        new GenerationRequest(
            List.of(
                new WeightedPrompt("a lighthouse \"in\" a storm", 1.0),
                new WeightedPrompt("oil painting", 0.1 + 0.2),
                new WeightedPrompt("blurry", -1.0)),
            "biggan-deep-512",
            Strategy.SEARCH,
            500,
            Long.MIN_VALUE + 3,
            384,
            false);

    assertThat(RequestJson.read(RequestJson.write(request))).isEqualTo(request);
  }

  @Test
  void roundTrip_keepsVariationAndImagePrompts() {
    GenerationRequest request =
        new GenerationRequest(
                List.of(new WeightedPrompt("a cat", 1.0)), "tiny", Strategy.ADAM, 5, 3)
            .withVariation(4)
            .withImages(
                List.of(new org.imaginebot.request.ImagePrompt(new byte[] {9, 8, 7}, -0.5)));

    assertThat(RequestJson.read(RequestJson.write(request))).isEqualTo(request);
  }

  @Test
  void read_rowWithoutSizeOrSeedOrigin_meansNativeSizeAndExplicitSeed() {
    GenerationRequest read =
        RequestJson.read(
            "{\"prompts\":[{\"text\":\"a cat\",\"weight\":1.0}],\"model\":\"tiny\",\"strategy\":\"adam\",\"steps\":5,\"seed\":3}");

    assertThat(read.size()).isEqualTo(GenerationRequest.NATIVE_SIZE);
    assertThat(read.seedSource()).isEqualTo(SeedSource.TYPED);
  }

  @Test
  void roundTrip_keepsADerivedSeedCacheable_andReadsTheOldRandomFlag() {
    GenerationRequest derived =
        new GenerationRequest(
                List.of(new WeightedPrompt("a cat", 1.0)), "tiny", Strategy.ADAM, 5, 3)
            .withDerivedSeed();

    assertThat(RequestJson.read(RequestJson.write(derived))).isEqualTo(derived);
    assertThat(
            RequestJson.read(
                    "{\"prompts\":[{\"text\":\"a cat\",\"weight\":1.0}],\"model\":\"tiny\","
                        + "\"strategy\":\"adam\",\"steps\":5,\"seed\":3,\"explicitSeed\":false}")
                .seedSource())
        .isEqualTo(SeedSource.RANDOM);
  }

  @Test
  void read_namesTheMissingField() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RequestJson.read("{\"prompts\":[],\"model\":\"m\"}"))
        .withMessageContaining("lacks field 'strategy'");
  }
}
