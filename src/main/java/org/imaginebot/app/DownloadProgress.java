package org.imaginebot.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.imaginebot.models.ModelDownloader;

/**
 * A one-line progress bar for a download: bytes, rate and ETA, redrawn in place at most ten times a
 * second.
 *
 * <p>When the output is not a terminal it prints a plain line at each tenth of the file instead
 * (every 64 MiB when the server does not say the size). {@link #finish} ends the line.
 */
final class DownloadProgress implements ModelDownloader.Listener {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final long UNKNOWN_SIZE_STEP = 64L << 20;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final String label;
  private long startNanos = -1;
  private long startBytes;
  private long lastDraw;
  private long lastStep = -1;
  private boolean open;

  DownloadProgress(PrintStream out, boolean terminal, LongSupplier nanoTime, String label) {
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
    this.label = label;
  }

  @Override
  public void onBytes(long bytes, long total) {
    long now = nanoTime.getAsLong();
    if (startNanos < 0 || bytes < startBytes) {
      // First call, or a restart from nothing: the rate counts from here.
      startNanos = now;
      startBytes = bytes;
      lastStep = -1;
    }
    boolean done = total >= 0 && bytes >= total;
    if (terminal) {
      if (done || !open || now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        out.print('\r' + render(bytes, total, now));
        open = true;
      }
    } else {
      long step = total > 0 ? bytes * 10 / total : bytes / UNKNOWN_SIZE_STEP;
      if (step != lastStep) {
        lastStep = step;
        out.println(render(bytes, total, now));
      }
    }
    out.flush();
  }

  /** Ends the line of a terminal bar; call once the download is over, whatever its outcome. */
  void finish() {
    if (open) {
      out.println();
      open = false;
    }
  }

  private String render(long bytes, long total, long now) {
    return render(label, bytes, total, bytes - startBytes, Duration.ofNanos(now - startNanos));
  }

  /**
   * {@code tiny/generator [#####.....] 1.5/3.0 MiB 0.5 MiB/s ETA 0:03}; without a total, no bar and
   * no ETA.
   *
   * @param transferred bytes that came in {@code elapsed} (the rate leaves out a resumed part)
   */
  static String render(String label, long bytes, long total, long transferred, Duration elapsed) {
    double perSecond = elapsed.toMillis() <= 0 ? 0 : transferred * 1000.0 / elapsed.toMillis();
    String rate = size((long) perSecond) + "/s";
    if (total <= 0) {
      return label + " " + size(bytes) + " " + rate;
    }
    int filled = (int) (WIDTH * Math.min(bytes, total) / total);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    String eta =
        perSecond <= 0
            ? "?"
            : ProgressBar.clock(Duration.ofSeconds((long) ((total - bytes) / perSecond)));
    return String.format(
        Locale.ROOT,
        "%s [%s] %s/%s %s ETA %s",
        label,
        bar,
        number(bytes, total),
        size(total),
        rate,
        eta);
  }

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.3 MiB}, {@code 1.25 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1L << 20) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1L << 30) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }

  /** {@code bytes} in the unit {@link #size} picks for {@code total}, without the unit. */
  private static String number(long bytes, long total) {
    String unit = size(total);
    String scaled =
        unit.endsWith(" B")
            ? Long.toString(bytes)
            : unit.endsWith("KiB")
                ? String.format(Locale.ROOT, "%.1f", bytes / 1024.0)
                : unit.endsWith("MiB")
                    ? String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 20))
                    : String.format(Locale.ROOT, "%.2f", bytes / (double) (1L << 30));
    return scaled;
  }
}
