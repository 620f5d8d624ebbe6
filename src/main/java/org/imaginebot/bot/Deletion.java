package org.imaginebot.bot;

import java.util.Objects;

/**
 * Whether a reply's Delete button may remove it, as {@link ImagineService#delete} decides: the
 * adapter deletes the message, or shows the refusal to the presser alone.
 */
public sealed interface Deletion {

  /** The words every adapter shows someone who may not delete a reply. */
  String NOT_YOURS = "Only the person who asked for this image or a moderator can delete it.";

  /**
   * Delete the message; its button reference and the cached image stay.
   *
   * @param offerPurge the presser is a moderator and the request is known, so the adapter may offer
   *     to purge its image from the cache as well ({@link ModerationService#purge})
   */
  record Allowed(boolean offerPurge) implements Deletion {}

  /** Keep the message; {@code message} is for the presser. */
  record Refused(String message) implements Deletion {

    public Refused {
      Objects.requireNonNull(message, "message");
    }
  }
}
