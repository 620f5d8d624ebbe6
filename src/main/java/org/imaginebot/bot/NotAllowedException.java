package org.imaginebot.bot;

/** A moderation command from someone without moderator rights; the message is for that user. */
public final class NotAllowedException extends RuntimeException {

  public NotAllowedException(String message) {
    super(message);
  }
}
