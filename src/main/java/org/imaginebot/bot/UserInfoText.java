package org.imaginebot.bot;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.imaginebot.settings.ScopeSettings;

/**
 * {@link UserInfo} as chat text, the same on every platform: plain lines, with the user's own
 * prompts passed through the platform's {@code escape} (so they mention no one).
 */
public final class UserInfoText {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private UserInfoText() {}

  /**
   * @param here how the platform names the scope, e.g. "on this server", "in this workspace"
   */
  public static String render(UserInfo info, String here, UnaryOperator<String> escape) {
    StringBuilder sb = new StringBuilder();
    if (info.jobs().isEmpty()) {
      sb.append("You have no jobs waiting or running ").append(here).append(".\n");
    } else {
      sb.append("Your jobs ").append(here).append(":\n");
      for (int i = 0; i < info.jobs().size(); i++) {
        QueueView.Entry job = info.jobs().get(i);
        sb.append("• ")
            .append(job.position() == 0 ? "running" : "#" + job.position() + " in queue")
            .append(" — ")
            .append(escape.apply(shorten(job.prompt(), 80)))
            .append(" (")
            .append(job.steps())
            .append(" steps, job ")
            .append(job.id())
            .append(")")
            .append(info.etas().get(i).map(eta -> ", done in about " + human(eta)).orElse(""))
            .append('\n');
      }
    }
    sb.append(PrefsText.line(info.prefs(), here, escape)).append('\n');
    ScopeSettings limits = info.limits();
    sb.append("Today: ")
        .append(info.usedToday())
        .append(
            limits.dailyImagesPerUser() == 0
                ? " images (no daily limit)"
                : " of " + limits.dailyImagesPerUser() + " images")
        .append(", counted until ")
        .append(TIME.format(info.quotaResets()))
        .append(" UTC; images made before are free.\n");
    sb.append("Limits ")
        .append(here)
        .append(": ")
        .append(limits.requestsPerMinute())
        .append(" requests a minute, ")
        .append(limits.maxQueuedPerUser())
        .append(" jobs waiting per user, up to ")
        .append(limits.maxSteps())
        .append(" steps and ")
        .append(limits.maxSize())
        .append(" px.\n");
    sb.append("Queue: ")
        .append(info.queued())
        .append(" waiting, ")
        .append(info.running())
        .append(" running")
        .append(info.timePerStep().map(t -> "; recent time per step " + millis(t)).orElse(""))
        .append('.');
    return sb.toString();
  }

  private static String millis(Duration d) {
    return d.toMillis() >= 1000
        ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
        : d.toMillis() + " ms";
  }

  private static String human(Duration d) {
    long s = Math.max(1, d.toSeconds());
    return s < 90 ? s + " s" : (s + 59) / 60 + " min";
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
