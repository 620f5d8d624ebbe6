package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class DownloadProgressTest {

  @Test
  void render_showsBytesRateAndEta() {
    String line =
        DownloadProgress.render(
            "tiny/generator", 3L << 20, 6L << 20, 1L << 20, Duration.ofSeconds(2));

    assertThat(line)
        .isEqualTo(
            "tiny/generator [###############...............] 3.0/6.0 MiB 512.0 KiB/s ETA 0:06");
  }

  @Test
  void render_unknownTotal_hasNoBarNorEta() {
    assertThat(DownloadProgress.render("a/b", 2048, -1, 2048, Duration.ofSeconds(1)))
        .isEqualTo("a/b 2.0 KiB 2.0 KiB/s");
  }

  @Test
  void size_picksAUnit() {
    assertThat(DownloadProgress.size(512)).isEqualTo("512 B");
    assertThat(DownloadProgress.size(1536)).isEqualTo("1.5 KiB");
    assertThat(DownloadProgress.size(5L << 30)).isEqualTo("5.00 GiB");
  }

  @Test
  void terminal_redrawsAtMostTenTimesASecond_andFinishEndsTheLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong();
    DownloadProgress progress =
        new DownloadProgress(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), true, now::get, "m/f");

    for (int i = 0; i <= 100; i++) {
      progress.onBytes(i, 100);
      now.addAndGet(Duration.ofMillis(10).toNanos());
    }
    progress.finish();

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.chars().filter(c -> c == '\r')).hasSizeBetween(10, 12);
    assertThat(out)
        .contains("\rm/f [##############################] 100/100 B")
        .endsWith(System.lineSeparator());
    assertThat(out.chars().filter(c -> c == '\n')).hasSize(1);
  }

  @Test
  void notATerminal_printsALineAtEachTenth() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DownloadProgress progress =
        new DownloadProgress(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> 0L, "m/f");

    for (int i = 0; i <= 1000; i++) {
      progress.onBytes(i, 1000);
    }
    progress.finish();

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .hasSize(11)
        .allMatch(l -> !l.contains("\r"));
  }
}
