package org.imaginebot.bot;

/**
 * A {@code /imagine-prefs} that cannot be done: text that does not parse, a value the scope does
 * not accept, or the database away. The message is for the user as is; nothing was saved.
 */
public final class PrefsException extends RuntimeException {

  public PrefsException(String message) {
    super(message);
  }
}
