package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's first {@code generate} on a CPU, in a JVM of its own with an empty kernel cache: it says
 * on stderr that it checks the kernels (the wait a new user sees), keeps the choice, and the next
 * start neither checks nor says so.
 */
final class FirstStartKernelCheckTest {

  private static final String NOTICE = "checking this CPU's kernels against float64";

  @TempDir Path dir;

  @Test
  void firstGenerate_saysItChecksTheKernels_andTheNextStartUsesTheKeptChoice() throws Exception {
    Path cache = dir.resolve("cpu-kernels.properties");

    ChildJvm first = generate(cache, 1);
    ChildJvm second = generate(cache, 2);

    assertThat(first.exitCode()).as(first.printed()).isZero();
    assertThat(first.printed()).contains(NOTICE + ", once per CPU model and thread count");
    assertThat(Files.readString(cache)).contains("check\\=2");
    assertThat(second.exitCode()).as(second.printed()).isZero();
    assertThat(second.printed()).doesNotContain(NOTICE);
  }

  private ChildJvm generate(Path cache, int seed) throws IOException, InterruptedException {
    return ChildJvm.run(
        dir.resolve("generate-" + seed + ".log"),
        Duration.ofMinutes(5),
        Map.of(),
        List.of(
            "generate",
            "a lighthouse",
            "--steps",
            "1",
            "--seed",
            Integer.toString(seed),
            "--out",
            dir.resolve("image-" + seed + ".png").toString(),
            "--set",
            "engine.cpuKernelsCache=" + cache,
            "--set",
            "cache.diskDir=" + dir.resolve("cache")));
  }
}
