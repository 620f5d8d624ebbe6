package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.tokenizer.ClipTokenizer;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code evolve} strategy (seed 004) against scripts/reference/evolve_reference.py, which
 * scores the genes this GA draws (exported by {@link EvolveRun#main}) independently: CLIP score of
 * the rendered individual plus the weighted discriminator realism. The first two generations must
 * be the genes the golden was computed from, and every fitness within 1e-5.
 */
final class EvolveFidelityTest {

  private static final Logger LOG = LoggerFactory.getLogger(EvolveFidelityTest.class);

  private static final double FITNESS_TOLERANCE = 1e-5;

  @Test
  void firstTwoGenerations_scoreAsTheReferenceScoresTheirGenes() throws IOException {
    JsonNode golden = Golden.load("evolve-tiny.json");
    EngineConfig config = TinyModels.config(Map.of());
    ModelManifest manifest = TinyModels.manifest(config);
    Golden.assertSameModels(
        golden,
        List.of("clip-image.pt", "clip-text.pt", "biggan.pt", "discriminator.pt"),
        manifest.require("tiny-clip"),
        manifest.require(EvolveRun.MODEL));
    assertThat(golden.get("seed").asLong()).isEqualTo(EvolveRun.SEED);
    assertThat(golden.get("prompt").asText()).isEqualTo(EvolveRun.PROMPT);
    assertThat(golden.get("population").asInt()).isEqualTo(DjlEngine.EVOLVE_POPULATION);
    assertThat(golden.get("realismWeight").asDouble()).isEqualTo(GeneticSearch.REALISM_WEIGHT);
    assertThat(config.truncation()).isEqualTo(golden.get("truncation").asDouble());
    assertThat(ClipTokenizer.load().tokenize(EvolveRun.PROMPT))
        .as("our tokenizer agrees with openai/CLIP's")
        .containsExactly(Golden.longs(golden.get("tokens")));

    List<EvolveRun.Generation> generations;
    try (DjlEngine engine = new DjlEngine(config, manifest)) {
      generations =
          EvolveRun.generations(
              engine, EvolveRun.engineSettings(), EvolveRun.SEED, golden.get("generations").size());
    }

    double worst = 0;
    for (int g = 0; g < generations.size(); g++) {
      JsonNode expected = golden.get("generations").get(g);
      EvolveRun.Generation actual = generations.get(g);
      assertThat(EvolveRun.sha256(actual.genes()))
          .as(
              "genes of generation %d are those the golden scored (if the GA changed, re-export"
                  + " them with EvolveRun.main and regenerate the golden)",
              g + 1)
          .isEqualTo(expected.get("genesSha256").asText());
      for (int i = 0; i < actual.fitness().length; i++) {
        double reference = expected.get("fitness").get(i).asDouble();
        worst = Math.max(worst, Math.abs(actual.fitness()[i] - reference));
        assertThat(actual.fitness()[i])
            .as("fitness of individual %d of generation %d", i, g + 1)
            .isCloseTo(reference, within(FITNESS_TOLERANCE));
      }
    }
    LOG.info("evolve vs golden: fitness max |d| {} over {} generations", worst, generations.size());
  }
}
