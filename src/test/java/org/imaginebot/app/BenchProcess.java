package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code bench} subcommand run as the build runs it: in a JVM of its own, its whole output (log
 * included) kept in a file, its JSON result read back.
 *
 * @param printed everything it printed, stdout and stderr
 * @param json the result it wrote with {@code --out}
 */
record BenchProcess(int exitCode, String printed, JsonNode json) {

  static BenchProcess run(Path dir, String... args) throws IOException, InterruptedException {
    Path file = dir.resolve("result.json");
    List<String> command = new ArrayList<>(List.of("bench"));
    command.addAll(List.of(args));
    command.addAll(List.of("--out", file.toString()));
    ChildJvm run = ChildJvm.run(dir.resolve("bench.log"), Duration.ofMinutes(5), Map.of(), command);
    String printed = run.printed();
    System.out.println(printed.lines().filter(l -> l.startsWith("{")).findFirst().orElse(""));
    assertThat(Files.exists(file)).as(printed).isTrue();
    return new BenchProcess(
        run.exitCode(), printed, new ObjectMapper().readTree(Files.readString(file)));
  }
}
