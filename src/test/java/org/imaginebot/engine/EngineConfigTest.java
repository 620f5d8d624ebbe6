package org.imaginebot.engine;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import org.imaginebot.config.ConfigException;
import org.junit.jupiter.api.Test;

final class EngineConfigTest {

  @Test
  void new_nonFiniteLearningRate_isRejected() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("adam", 100, 1000, 32, Double.POSITIVE_INFINITY, 1.0, 15))
        .withMessage("engine.learningRate must be a finite number above 0, got Infinity");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("adam", 100, 1000, 32, Double.NaN, 1.0, 15))
        .withMessage("engine.learningRate must be a finite number above 0, got NaN");
  }

  @Test
  void new_truncationOutsideZeroToOne_isRejected() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("adam", 100, 1000, 32, 0.07, 0.0, 15))
        .withMessage("engine.truncation must be above 0 and at most 1, got 0.0");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("adam", 100, 1000, 32, 0.07, 1.01, 15))
        .withMessage("engine.truncation must be above 0 and at most 1, got 1.01");
  }

  @Test
  void new_cutoutsAndTopKOutOfRange_areRejected() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("adam", 100, 1000, 513, 0.07, 1.0, 15))
        .withMessage("engine.cutouts must be between 1 and 512, got 513");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("adam", 100, 1000, 32, 0.07, 1.0, 0))
        .withMessage("engine.searchTopK must be between 1 and 1000, got 0");
  }

  @Test
  void new_unknownStrategy_isRejected() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("Adam", 100, 1000, 32, 0.07, 1.0, 15))
        .withMessage(
            "engine.defaultStrategy must be one of adam, search, auto, evolve, got 'Adam'");
  }

  @Test
  void new_unknownCpuKernels_isRejected_listingTheValues() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                new EngineConfig(
                    Path.of("config/models.yaml"),
                    Path.of("models"),
                    "tiny",
                    "adam",
                    100,
                    1000,
                    32,
                    0.07,
                    1.0,
                    0.7,
                    15,
                    10,
                    0,
                    "avx512",
                    Path.of("data/cpu-kernels.properties"),
                    true))
        .withMessage(
            "engine.cpuKernels must be one of auto, mkl-native, onednn-off, sse41, native, got 'avx512'");
  }

  private static EngineConfig engine(
      String strategy,
      int defaultSteps,
      int maxSteps,
      int cutouts,
      double learningRate,
      double truncation,
      int searchTopK) {
    return new EngineConfig(
        Path.of("config/models.yaml"),
        Path.of("models"),
        "tiny",
        strategy,
        defaultSteps,
        maxSteps,
        cutouts,
        learningRate,
        truncation,
        0.7,
        searchTopK,
        10,
        0,
        "auto",
        Path.of("data/cpu-kernels.properties"),
        true);
  }
}
