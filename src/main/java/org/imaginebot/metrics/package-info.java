/**
 * What operators see of the running bot: {@link org.imaginebot.metrics.BotMetrics} names every
 * meter (requests, queue, job times, cache, refusals, JVM) on a Prometheus registry, and {@link
 * org.imaginebot.metrics.MetricsServer#start} serves it on {@code /metrics} beside a {@code
 * /health} built from {@link org.imaginebot.metrics.HealthIndicator}s. Tag values are small fixed
 * sets of lower-case names, never user ids or prompts, so the number of series stays bounded.
 */
package org.imaginebot.metrics;
