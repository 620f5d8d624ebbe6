package org.imaginebot.db;

/**
 * The database could not be opened or migrated. The message names the database (without its
 * password), the short cause and what to check; it never carries a raw SQL error text. An illegal
 * state of the environment, so {@code serve} exits with 3.
 */
public final class DatabaseException extends IllegalStateException {

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
