package org.imaginebot.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the health indicators side by side on their own threads, so one slow check cannot hold up
 * the others or the HTTP threads, and turns what they say into the {@code /health} JSON.
 */
final class HealthChecks {

  private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The result of one round of checks; up only when every component is up. */
  record Report(boolean up, Map<String, ComponentHealth> components) {

    String toJson() {
      ObjectNode root = JSON.createObjectNode();
      root.put("status", status(up));
      ObjectNode all = root.putObject("components");
      components.forEach(
          (name, health) ->
              all.putObject(name)
                  .put("status", status(health.up()))
                  .put("detail", health.detail()));
      try {
        return JSON.writeValueAsString(root);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write health as JSON", e);
      }
    }

    private static String status(boolean up) {
      return up ? "UP" : "DOWN";
    }
  }

  private final Map<String, HealthIndicator> indicators;
  private final Duration timeout;
  private final ExecutorService threads;

  HealthChecks(Map<String, HealthIndicator> indicators, Duration timeout, ExecutorService threads) {
    this.indicators = indicators;
    this.timeout = timeout;
    this.threads = threads;
  }

  /** Runs every indicator; one that throws, returns null or misses the timeout counts as down. */
  Report run() {
    Map<String, Future<ComponentHealth>> running = new LinkedHashMap<>();
    Map<String, ComponentHealth> results = new LinkedHashMap<>();
    for (Map.Entry<String, HealthIndicator> entry : indicators.entrySet()) {
      try {
        running.put(entry.getKey(), threads.submit(entry.getValue()::check));
      } catch (RejectedExecutionException e) {
        results.put(entry.getKey(), ComponentHealth.down("health checks are shutting down"));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, Future<ComponentHealth>> entry : running.entrySet()) {
      results.put(entry.getKey(), await(entry.getKey(), entry.getValue(), deadline));
    }
    Map<String, ComponentHealth> ordered = new LinkedHashMap<>();
    indicators.keySet().forEach(name -> ordered.put(name, results.get(name)));
    boolean up = ordered.values().stream().allMatch(ComponentHealth::up);
    return new Report(up, Collections.unmodifiableMap(ordered));
  }

  private ComponentHealth await(String name, Future<ComponentHealth> future, long deadline) {
    try {
      ComponentHealth health =
          future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return health != null ? health : ComponentHealth.down("indicator returned no health");
    } catch (TimeoutException e) {
      future.cancel(true);
      LOG.debug("Health indicator {} gave no answer within {} ms", name, timeout.toMillis());
      return ComponentHealth.down("no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      LOG.debug("Health indicator {} failed", name, cause);
      return ComponentHealth.down(
          cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return ComponentHealth.down("health check interrupted");
    }
  }
}
