package org.imaginebot.settings;

/**
 * A settings store could not read or write its database.
 *
 * <p>The message names the operation, the database (its URL without any password) and what to
 * check.
 */
public final class SettingsStoreException extends RuntimeException {

  public SettingsStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
