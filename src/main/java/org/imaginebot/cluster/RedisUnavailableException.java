package org.imaginebot.cluster;

/** Redis cannot be reached or refused a command; the message names the cause, never a secret. */
public final class RedisUnavailableException extends IllegalStateException {

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
