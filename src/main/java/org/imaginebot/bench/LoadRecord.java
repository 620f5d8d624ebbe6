package org.imaginebot.bench;

import java.util.List;
import org.imaginebot.bench.LoadPlan.Command;

/**
 * What became of one command of a load run, as the fake platform recorded it.
 *
 * @param sentNanos when the command was sent ({@link System#nanoTime()}): the fake Discord
 *     dispatched the interaction, the slash command's POST to the bot's Slack endpoint began
 * @param answer what the bot answered, or {@link Answer#NONE} when no answer came
 * @param answeredNanos when the answer arrived (Discord: the interaction callback; Slack: the HTTP
 *     200 ack of the slash command); 0 for none
 * @param finalNanos when each final message of its job arrived (Discord: a deferred reply edited to
 *     the finished image, or the callback carrying a cached one; Slack: the message updated to the
 *     finished image, or for a cached one the message posted with its image uploaded into the
 *     thread); one for a job delivered once, none for a lost one
 */
public record LoadRecord(
    Command command, long sentNanos, Answer answer, long answeredNanos, List<Long> finalNanos) {

  /** How the bot answered the interaction. */
  public enum Answer {
    /** Deferred (Slack: acknowledged): a job was admitted and the reply will be edited. */
    ADMITTED,
    /** The finished image at once, from the cache (Slack: the message says so). */
    CACHED,
    /** An ephemeral refusal (queue full, rate limit...). */
    REFUSED,
    /** No callback came. */
    NONE
  }

  public LoadRecord {
    finalNanos = List.copyOf(finalNanos);
  }

  /** Milliseconds from dispatch to the answer (the interaction's callback, Slack's HTTP ack). */
  public double ackMillis() {
    return (answeredNanos - sentNanos) / 1e6;
  }

  /** Milliseconds from dispatch to the first final message: a cached image's reply time. */
  public double replyMillis() {
    return (finalNanos.get(0) - sentNanos) / 1e6;
  }

  /** Seconds from dispatch to the first final message. */
  public double waitSeconds() {
    return (finalNanos.get(0) - sentNanos) / 1e9;
  }
}
