package org.imaginebot.metrics;

/**
 * What one {@link HealthIndicator} found: whether its component is up, and a short detail for an
 * operator, such as {@code "3 queued, 1 running"} or the reason it is down.
 */
public record ComponentHealth(boolean up, String detail) {

  /** Rejects a null detail; pass {@code ""} for none. */
  public ComponentHealth {
    if (detail == null) {
      throw new IllegalArgumentException("detail must not be null; use \"\" for none");
    }
  }

  /** The component works; {@code detail} says how it is doing. */
  public static ComponentHealth up(String detail) {
    return new ComponentHealth(true, detail);
  }

  /** The component does not work; {@code detail} says why. */
  public static ComponentHealth down(String detail) {
    return new ComponentHealth(false, detail);
  }
}
