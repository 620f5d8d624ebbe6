package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench soak --quick}, as the build runs it: real jobs through serve's core on the tiny
 * models; memory and the models' NDArrays must stay flat after the warm-up.
 */
class SoakBenchTest {

  @TempDir Path dir;

  @Test
  void quickSoakKeepsMemoryAndArraysFlat() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    Path file = dir.resolve("soak.json");
    int code =
        Main.run(
            new String[] {"bench", "soak", "--quick", "--out", file.toString()},
            Map.of(),
            stream,
            stream,
            false);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertThat(json.get("jobs").asInt()).isEqualTo(SoakBench.QUICK_JOBS);
    int samples = json.get("sampled_at_jobs").size();
    assertThat(samples).isGreaterThan(20);
    assertThat(json.get("rss_mb")).hasSize(samples);
    assertThat(json.get("heap_mb")).hasSize(samples);
    assertThat(json.get("ndarrays")).hasSize(samples);
    assertThat(json.get("ndarrays").get(samples - 1).asLong())
        .as("the loaded models' weights")
        .isPositive();
    assertThat(json.get("ndarray_growth_pct").asDouble()).isZero();
    assertThat(json.get("rss_growth_pct").asDouble()).isLessThan(SoakBench.GOAL_GROWTH_PCT);
    assertThat(json.get("heap_growth_pct").asDouble()).isLessThan(SoakBench.GOAL_GROWTH_PCT);
    assertThat(printed).contains("soak: " + SoakBench.QUICK_JOBS + "/" + SoakBench.QUICK_JOBS);
  }
}
