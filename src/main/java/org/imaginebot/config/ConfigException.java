package org.imaginebot.config;

/**
 * A configuration or model manifest that cannot be used.
 *
 * <p>The message fits one terminal line and names the key, the bad value and what is allowed, e.g.
 * {@code engine.maxSteps must be between 1 and 100000, got 0}.
 */
public class ConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
