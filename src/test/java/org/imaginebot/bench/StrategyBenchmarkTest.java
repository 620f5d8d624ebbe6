package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.imaginebot.app.AppConfig;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import org.junit.jupiter.api.Test;

final class StrategyBenchmarkTest {

  @Test
  void theJudgeClip_scoresTheSameImageOtherwiseThanTheGuidingClip() {
    AppConfig config = ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), Map.of());
    EngineConfig engine = config.engine();
    GenerationRequest request =
        new GenerationRequest(PromptParser.parse("a lighthouse"), "tiny", Strategy.SEARCH, 2, 1);
    try (DjlEngine djl =
        new DjlEngine(engine, ModelManifest.load(engine.manifest(), engine.modelsDir()))) {
      byte[] png = djl.generate(request, p -> {}, new CancellationSignal()).png();

      double self = djl.clipScore("tiny", request.prompts(), png);
      double guide = djl.clipScore("tiny-clip", request.prompts(), png);
      double judge = djl.clipScore("tiny-clip-judge", request.prompts(), png);

      assertThat(guide).isEqualTo(self); // without --judge the generator's own CLIP scores
      assertThat(judge).isNotCloseTo(self, within(1e-4)); // other weights: another opinion
    }
  }

  @Test
  void spread_isSlowestOverFastestMinusOne() {
    assertThat(StrategyBenchmark.spread(List.of(8.0, 8.4, 8.8))).isCloseTo(0.10, within(1e-9));
    assertThat(StrategyBenchmark.spread(List.of(5.0))).isZero();
    // a run within 4 % of the budget stands; one further off is run again
    assertThat(StrategyBenchmark.withinRunTolerance(8.3, 8.0)).isTrue();
    assertThat(StrategyBenchmark.withinRunTolerance(7.7, 8.0)).isTrue();
    assertThat(StrategyBenchmark.withinRunTolerance(8.4, 8.0)).isFalse();
    assertThat(StrategyBenchmark.withinRunTolerance(6.5, 8.0)).isFalse();
  }
}
