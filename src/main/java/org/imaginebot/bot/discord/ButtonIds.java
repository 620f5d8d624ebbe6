package org.imaginebot.bot.discord;

import java.util.Optional;
import org.imaginebot.queue.JobId;

/**
 * Custom ids of our buttons: {@code imagine:<action>:<ref>}, at most 100 characters. They carry a
 * job id or a cache key, never the prompt.
 */
final class ButtonIds {

  static final String PREFIX = "imagine:";

  /** A parsed custom id. */
  record Parsed(String action, String ref) {}

  private ButtonIds() {}

  static String reroll(String ref) {
    return PREFIX + "reroll:" + ref;
  }

  static String variations(String ref) {
    return PREFIX + "vary:" + ref;
  }

  static String timelapse(String ref) {
    return PREFIX + "timelapse:" + ref;
  }

  static String info(String ref) {
    return PREFIX + "info:" + ref;
  }

  static String delete(String ref) {
    return PREFIX + "delete:" + ref;
  }

  static String purge(String ref) {
    return PREFIX + "purge:" + ref;
  }

  static String cancel(JobId job) {
    return PREFIX + "cancel:" + (job == null ? "none" : job.value());
  }

  static Optional<Parsed> parse(String customId) {
    if (customId == null || !customId.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = customId.substring(PREFIX.length()).split(":", 2);
    return parts.length == 2 ? Optional.of(new Parsed(parts[0], parts[1])) : Optional.empty();
  }
}
