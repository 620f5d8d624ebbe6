package org.imaginebot.db;

/**
 * The database could not be opened or migrated. The message names the database (without its
 * password), the short cause and what to check; it never carries a raw SQL error text.
 */
public final class DatabaseException extends RuntimeException {

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
