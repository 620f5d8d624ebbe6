package org.imaginebot.metrics;

/**
 * Checks one component of the bot (queue, engine, Discord gateway) for {@code /health}.
 *
 * <p>Checks should be quick and read state the component already has; {@link MetricsServer} runs
 * them with a short timeout and reports one that throws or does not answer in time as down.
 */
@FunctionalInterface
public interface HealthIndicator {

  /** The component's health now. */
  ComponentHealth check();
}
