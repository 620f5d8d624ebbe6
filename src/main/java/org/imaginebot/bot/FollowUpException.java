package org.imaginebot.bot;

/** A button's follow-up that cannot be made of this image; the message is for the user. */
public final class FollowUpException extends RuntimeException {

  public FollowUpException(String message) {
    super(message);
  }
}
