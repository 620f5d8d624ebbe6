package org.imaginebot.queue;

import java.util.Objects;

/**
 * The queue's answer to an offer: the job was admitted at a position, or refused with a reason.
 *
 * <p>A refusal is a value, not an exception: its message is written for the user and says which
 * limit was hit and what to do.
 */
public sealed interface Admission {

  /**
   * The job is queued.
   *
   * @param job the new job, {@link JobState#QUEUED}
   * @param position its 1-based place in the fair order at admission
   */
  record Admitted(Job job, int position) implements Admission {
    public Admitted {
      Objects.requireNonNull(job, "job");
    }
  }

  /**
   * The job was not queued.
   *
   * @param reason which limit was hit
   * @param message what to tell the user
   */
  record Refused(RefusalReason reason, String message) implements Admission {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    /** The user already has {@code mine} jobs waiting, their cap. */
    public static Refused userQueueFull(long mine) {
      return new Refused(
          RefusalReason.USER_QUEUE_FULL,
          "You already have "
              + mine
              + (mine == 1 ? " image" : " images")
              + " queued (the limit here); wait for one to finish.");
    }

    /** {@code all} jobs wait, the global cap. */
    public static Refused queueFull(long all) {
      return new Refused(
          RefusalReason.QUEUE_FULL,
          "The queue is full (" + all + " jobs); try again in a few minutes.");
    }

    /** The job could not be stored, so nothing was queued. */
    public static Refused storeUnavailable() {
      return new Refused(
          RefusalReason.STORE_UNAVAILABLE,
          "The bot cannot save jobs right now; nothing was queued — try again in a minute.");
    }
  }
}
