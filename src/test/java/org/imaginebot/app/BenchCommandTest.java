package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class BenchCommandTest {

  @Test
  void benchEngine_printsOneJsonLineWithMsPerStep() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

    int code = Main.run(new String[] {"bench", "engine", "--steps", "2", "--set", "engine.cutouts=2"}, Map.of(), stream, stream, false);

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).strip())
        .matches("\\{\"bench\":\"engine\",\"model\":\"tiny\",\"strategy\":\"adam\",\"cutouts\":2,\"threads\":0,\"steps\":2,\"ms_per_step\":[0-9.]+}");
  }

  @Test
  void benchQueue_printsAdmissionRateFairnessAndLatency() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

    int code = Main.run(new String[] {"bench", "queue", "--users", "20", "--jobs-per-user", "5", "--flood", "200", "--rounds", "3"},
        Map.of(), stream, stream, false);

    assertThat(code).isZero();
    String line = out.toString(StandardCharsets.UTF_8).strip();
    assertThat(line).doesNotContain("\n")
        .startsWith("{\"bench\":\"queue\",\"users\":20,\"jobs_per_user\":5,\"flood\":200,\"rounds\":3,");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("admissions_per_sec").asDouble()).isPositive();
    assertThat(json.get("p99_admit_us").asDouble()).isPositive();
    // Round-robin serves the flooder once per round, like everyone else.
    assertThat(json.get("jain_fairness").asDouble()).isGreaterThan(0.99);
  }

  @Test
  void benchQueue_zeroRounds_isAUsageError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

    int code = Main.run(new String[] {"bench", "queue", "--rounds", "0"}, Map.of(), stream, stream, false);

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--rounds must be at least 1, got 0");
  }
}
