package org.imaginebot.queue;

/** A job store could not read or write its database; the message names the operation. */
public final class JobStoreException extends RuntimeException {

  public JobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
