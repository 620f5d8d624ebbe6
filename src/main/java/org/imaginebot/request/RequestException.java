package org.imaginebot.request;

/**
 * A request line or option that cannot be served, with a message meant for the user who typed it.
 *
 * <p>The message names the bad input and what is allowed instead, e.g. {@code --steps needs a whole
 * number, got 'ten'}; adapters can show it as is. {@link #token()} is the offending part of the
 * line as typed (a flag such as {@code --sed}, or a value such as {@code ten}), so an adapter can
 * highlight it; it is empty when the whole line is at fault (too long, no prompt).
 */
public final class RequestException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String token;

  public RequestException(String message, String token) {
    this(message, token, null);
  }

  RequestException(String message, String token, Throwable cause) {
    super(message, cause);
    this.token = token == null ? "" : token;
  }

  /** The offending flag or value as the user typed it; empty when the whole line is at fault. */
  public String token() {
    return token;
  }
}
