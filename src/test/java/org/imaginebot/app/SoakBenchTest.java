package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench soak --quick}, as the build runs it: real jobs through serve's core on the tiny
 * models, in a JVM of its own started as the Docker image starts the bot ({@code
 * MALLOC_ARENA_MAX=2}), so this test's own memory is not what is measured. The heap and the models'
 * NDArrays must stay flat after the warm-up, and resident memory must not climb.
 */
class SoakBenchTest {

  /**
   * Resident memory in a 120-job run moves in steps (libtorch's and the allocator's high-water
   * marks): about 25 MB of ~550 MB with oneDNN, and once, with libtorch's own kernels (oneDNN off,
   * the kernel check's choice here), a single step of ~80 MB (370 to 451 MB at job 58, then flat to
   * job 120: 24 %). So the build guards against a leak of real size: 30 % over the ~70 measured
   * jobs is a leak of more than 1.5 MB a job, which a step's tensors kept per job would pass; the
   * 1,000-job run is judged against the 5 % goal, and the NDArray count must not move at all. Those
   * steps were glibc's free chunks; since the engine trims them after each job
   * (engine.trimNativeMemory) one quick run gave 2.2 %. The guard stays until three runs in a row
   * have shown that.
   */
  private static final double RSS_GUARD_PCT = 30.0;

  @TempDir Path dir;

  @Test
  void quickSoakKeepsMemoryAndArraysFlat() throws Exception {
    Path file = dir.resolve("soak.json");
    Path log = dir.resolve("soak.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "bench",
                    "soak",
                    "--quick",
                    "--max-growth-pct",
                    Double.toString(RSS_GUARD_PCT),
                    "--out",
                    file.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    Process soak = builder.start();
    try {
      assertThat(soak.waitFor(15, TimeUnit.MINUTES)).as("finished in 15 minutes").isTrue();
    } finally {
      soak.destroyForcibly();
    }
    String printed = Files.readString(log);
    assertThat(soak.exitValue()).as(printed).isZero();
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
    assertThat(json.get("ndarray_growth_pct").asDouble()).as(printed).isZero();
    assertThat(json.get("trim_native_memory").asBoolean()).as("the default").isTrue();
    assertThat(json.get("malloc_arena_max").asText()).isEqualTo("2");
    assertThat(json.get("allocator").asText()).isNotBlank();
    assertThat(json.get("malloc_free_mb")).hasSize(samples);
    assertThat(json.get("cpu_s")).hasSize(samples);
    assertThat(json.get("rss_growth_pct").asDouble()).as(printed).isLessThan(RSS_GUARD_PCT);
    assertThat(json.get("heap_growth_pct").asDouble())
        .as(printed)
        .isLessThan(SoakBench.GOAL_GROWTH_PCT);
    assertThat(printed).contains("soak: " + SoakBench.QUICK_JOBS + "/" + SoakBench.QUICK_JOBS);
  }
}
