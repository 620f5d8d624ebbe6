package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;

/**
 * The paper's procedure as {@code bench quality} runs it, on the tiny models (which the command
 * itself never scores: {@link PaperQuality#find} refuses them).
 */
final class PaperQualityTest {

  @Test
  void tinyManifest_isNotRealWeights() {
    EngineConfig config =
        ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), Map.of()).engine();
    PaperQuality.Availability found =
        PaperQuality.find(ModelManifest.load(config.manifest(), config.modelsDir()));
    assertThat(found.generator()).isEmpty();
    assertThat(found.reason()).contains("clip-vit-b32");
  }

  @Test
  void run_scoresSearchAndAutoOnEveryCaptionAndSeed() {
    EngineConfig config =
        ConfigLoader.load(
                Path.of("config/application.yaml"),
                Map.of(),
                Map.of("engine.searchTopK", "20", "engine.cutouts", "2"))
            .engine();
    JsonNode json;
    try (DjlEngine engine =
        new DjlEngine(config, ModelManifest.load(config.manifest(), config.modelsDir()))) {
      json =
          PaperQuality.run(
              engine, "tiny", PaperQuality.CAPTIONS.subList(0, 2), List.of(42L), 4, 20);
    }
    assertThat(json.get("bench").asText()).isEqualTo("quality");
    assertThat(json.get("top_k").asInt()).isEqualTo(20);
    for (String strategy : List.of("search", "auto")) {
      JsonNode scores = json.get(strategy + "_scores");
      assertThat(scores).hasSize(2);
      double sum = 0;
      for (JsonNode score : scores) {
        assertThat(score.asDouble()).isBetween(-1.0, 1.0);
        sum += score.asDouble();
      }
      assertThat(json.get(strategy + "_mean_clip_score").asDouble())
          .isCloseTo(sum / 2, within(1e-12));
    }
    assertThat(json.get("paper_biggan_k20").asDouble()).isEqualTo(0.3053);
  }
}
