package org.imaginebot.bench;

import java.util.List;
import org.imaginebot.bench.LoadPlan.Command;

/**
 * What became of one command of a load run, as the fake Discord recorded it.
 *
 * @param sentNanos when the fake dispatched the interaction ({@link System#nanoTime()})
 * @param answer what the interaction callback said, or {@link Answer#NONE} when none came
 * @param answeredNanos when the callback arrived; 0 for none
 * @param finalNanos when each final message of its job arrived (a deferred reply edited to the
 *     finished image); one for a job delivered once, none for a lost one
 */
public record LoadRecord(
    Command command, long sentNanos, Answer answer, long answeredNanos, List<Long> finalNanos) {

  /** How the bot answered the interaction. */
  public enum Answer {
    /** Deferred: a job was admitted and the reply will be edited. */
    ADMITTED,
    /** The finished image at once, from the cache. */
    CACHED,
    /** An ephemeral refusal (queue full, rate limit...). */
    REFUSED,
    /** No callback came. */
    NONE
  }

  public LoadRecord {
    finalNanos = List.copyOf(finalNanos);
  }

  /** Milliseconds from dispatch to the interaction's callback. */
  public double ackMillis() {
    return (answeredNanos - sentNanos) / 1e6;
  }

  /** Seconds from dispatch to the first final message. */
  public double waitSeconds() {
    return (finalNanos.get(0) - sentNanos) / 1e9;
  }
}
