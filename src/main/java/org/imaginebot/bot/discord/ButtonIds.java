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

  /** "+N steps": the run goes on. */
  static String more(String ref) {
    return PREFIX + "more:" + ref;
  }

  /** "Edit prompt": opens the re-prompt modal. */
  static String reprompt(String ref) {
    return PREFIX + "reprompt:" + ref;
  }

  /** "Try 4 seeds": a contact sheet of the image's prompt. */
  static String sheet(String ref) {
    return PREFIX + "sheet:" + ref;
  }

  /** "Refine N" on a contact sheet, N from 1. */
  static String refine(int n, String ref) {
    return PREFIX + "refine" + n + ":" + ref;
  }

  /** "Vary N" on a contact sheet, N from 1. */
  static String varyCandidate(int n, String ref) {
    return PREFIX + "vary" + n + ":" + ref;
  }

  /** The re-prompt modal's id, which names the image it goes on from. */
  static String repromptModal(String ref) {
    return PREFIX + "reprompt-modal:" + ref;
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
