package org.imaginebot.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;

/**
 * A one-line terminal progress bar: step, loss, CLIP score and ETA, redrawn in place.
 *
 * <p>When the output is not a terminal (a log file, CI) it prints a plain line at each tenth of the
 * run instead of carriage-return redraws.
 */
final class ProgressBar implements ProgressListener {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final long started;
  private int lastTenth = -1;

  ProgressBar(PrintStream out, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
    this.started = nanoTime.getAsLong();
  }

  @Override
  public void onProgress(Progress p) {
    String line = render(p, Duration.ofNanos(nanoTime.getAsLong() - started));
    if (terminal) {
      out.print('\r' + line);
      if (p.step() == p.total()) {
        out.println();
      }
    } else {
      int tenth = p.step() * 10 / p.total();
      if (tenth != lastTenth) {
        lastTenth = tenth;
        out.println(line);
      }
    }
    out.flush();
  }

  static String render(Progress p, Duration elapsed) {
    int filled = (int) ((long) WIDTH * p.step() / p.total());
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    long etaMillis = p.step() == 0 ? 0 : elapsed.toMillis() * (p.total() - p.step()) / p.step();
    return String.format(
        Locale.ROOT,
        "[%s] %d/%d loss %.3f clip %.4f ETA %s",
        bar,
        p.step(),
        p.total(),
        p.loss(),
        p.clipScore(),
        clock(Duration.ofMillis(etaMillis)));
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
