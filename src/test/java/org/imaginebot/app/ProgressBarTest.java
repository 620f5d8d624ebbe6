package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.imaginebot.engine.Progress;
import org.junit.jupiter.api.Test;

final class ProgressBarTest {

  @Test
  void render_showsStepLossScoreAndEta() {
    String line =
        ProgressBar.render(new Progress(5, 20, -12.5, 0.31, null), Duration.ofSeconds(10));

    assertThat(line)
        .isEqualTo("[#######.......................] 5/20 loss -12.500 clip 0.3100 ETA 0:30");
  }

  @Test
  void terminal_redrawsInPlace_andEndsWithNewline() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong();
    ProgressBar bar =
        new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, now::get);

    bar.onProgress(new Progress(1, 2, 1, 0.1, null));
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    bar.onProgress(new Progress(2, 2, 1, 0.2, null));

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .startsWith("\r[")
        .contains("\r[##############################] 2/2")
        .endsWith(System.lineSeparator());
    assertThat(out.chars().filter(c -> c == '\n')).hasSize(1);
  }

  @Test
  void notATerminal_printsFirstStepAndEachTenth() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar =
        new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> 0L);

    for (int step = 1; step <= 100; step++) {
      bar.onProgress(new Progress(step, 100, 0, 0, null));
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(11).doesNotContain("\r");
  }
}
