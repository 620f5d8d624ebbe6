package org.imaginebot.bot.slack;

import java.time.Duration;
import java.util.Locale;

/** Text rules of Slack messages: escaping what users typed, durations, the progress bar. */
final class SlackText {

  private static final int BAR_CELLS = 20;

  private SlackText() {}

  /**
   * Slack's three control characters as entities, so echoed text stays text: {@code <!channel>} or
   * {@code <@U123>} in a prompt then notifies no one and links nowhere.
   */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** {@code ▓▓▓▓░░░░} with {@code step/total} of its cells filled. */
  static String bar(int step, int total) {
    int filled = total <= 0 ? 0 : (int) Math.min(BAR_CELLS, (long) step * BAR_CELLS / total);
    return "▓".repeat(filled) + "░".repeat(BAR_CELLS - filled);
  }

  static String human(Duration d) {
    long seconds = Math.max(0, Math.round(d.toMillis() / 1000.0));
    if (seconds < 60) {
      return d.toMillis() < 10_000 && !d.isZero()
          ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
          : seconds + " s";
    }
    return seconds / 60 + " min " + seconds % 60 + " s";
  }
}
