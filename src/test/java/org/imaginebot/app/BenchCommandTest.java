package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
