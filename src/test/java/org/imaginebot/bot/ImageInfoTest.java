package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.SeedSource;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.junit.jupiter.api.Test;

final class ImageInfoTest {

  private static final EngineFingerprint ENGINE =
      new EngineFingerprint(
          1, 32, 0.07, 1.0, 0.7, 15, Map.of("tiny/generator", "9a72d9181648" + "0".repeat(52)));

  @Test
  void of_saysWhatThePngRecords_inWords() {
    GenerationRequest request =
        new GenerationRequest(
            List.of(
                new WeightedPrompt("a lighthouse", 1),
                new WeightedPrompt("dusk", 0.25),
                new WeightedPrompt("blurry", -1),
                new WeightedPrompt("text", -0.5)),
            "tiny",
            Strategy.ADAM,
            40,
            123,
            GenerationRequest.NATIVE_SIZE,
            SeedSource.DERIVED,
            7,
            List.of());
    Provenance provenance =
        new Provenance(request, List.of(new Provenance.ImageRef("ab".repeat(32), 2)), ENGINE);

    ImageInfo info = ImageInfo.of(provenance);

    assertThat(info.fields())
        .extracting(ImageInfo.Field::label)
        .containsExactly(
            "Prompt",
            "Avoiding",
            "Image prompts",
            "Seed",
            "Steps",
            "Strategy",
            "Model",
            "Size",
            "Variation",
            "Model files (sha256)",
            "Engine");
    assertThat(info.value("Prompt")).isEqualTo("a lighthouse | dusk:0.25");
    assertThat(info.value("Avoiding")).isEqualTo("blurry (weight -1), text (weight -0.5)");
    assertThat(info.value("Image prompts")).isEqualTo("sha256 abababababab (weight 2)");
    assertThat(info.value("Seed")).isEqualTo("123 (derived from the prompt and settings)");
    assertThat(info.value("Size")).isEqualTo("the model's own");
    assertThat(info.value("Variation")).isEqualTo("#7");
    assertThat(info.value("Model files (sha256)")).isEqualTo("tiny/generator 9a72d9181648");
    assertThat(info.value("Engine"))
        .isEqualTo(
            "revision 1 · cutouts 32 · learning rate 0.07 · truncation 1 · style truncation 0.7"
                + " · search top-k 15");
    assertThat(info.hint()).contains("generate --from FILE.png");
  }

  @Test
  void of_namesTheSheetsCandidates_andWhatARepromptWentOnFrom() {
    GenerationRequest plain =
        new GenerationRequest(List.of(new WeightedPrompt("a cat", 1)), "tiny", Strategy.ADAM, 8, 5);

    ImageInfo sheet = ImageInfo.of(Provenance.of(plain.withGrid(GenerationRequest.GRID), ENGINE));
    ImageInfo reprompt =
        ImageInfo.of(
            Provenance.of(plain.reprompted(List.of(new WeightedPrompt("a dog", 1)), 4), ENGINE));

    assertThat(sheet.value("Contact sheet")).isEqualTo("4 candidates, seeds 5 to 8, 2 steps each");
    assertThat(reprompt.value("Prompt")).isEqualTo("a dog");
    assertThat(reprompt.value("Steps")).isEqualTo("12");
    assertThat(reprompt.value("Re-prompted from")).isEqualTo("a cat after 8 steps");
    assertThat(ImageInfo.of(Provenance.of(plain, ENGINE)).fields())
        .extracting(ImageInfo.Field::label)
        .doesNotContain("Contact sheet", "Re-prompted from");
  }

  @Test
  void of_leavesOutAvoidingAndImagePrompts_whenThereAreNone() {
    GenerationRequest request =
        new GenerationRequest(
            List.of(new WeightedPrompt("a cat", 1)), "tiny", Strategy.SEARCH, 2, 5);

    ImageInfo info = ImageInfo.of(Provenance.of(request, ENGINE));

    assertThat(info.fields())
        .extracting(ImageInfo.Field::label)
        .doesNotContain("Avoiding", "Image prompts");
    assertThat(info.value("Seed")).isEqualTo("5 (chosen)");
  }
}
