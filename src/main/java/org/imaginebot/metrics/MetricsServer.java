package org.imaginebot.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server for operators: {@code GET /metrics} for Prometheus to scrape and {@code GET
 * /health} for probes, on the JDK's own HTTP server so the bot needs no web framework.
 *
 * <ul>
 *   <li>{@code /metrics}: 200, {@code text/plain; version=0.0.4; charset=utf-8}, the body of {@link
 *       BotMetrics#scrape()}.
 *   <li>{@code /health}: {@code
 *       {"status":"UP","components":{"queue":{"status":"UP","detail":"..."}}}}, 200 when every
 *       indicator is up and 503 when any is down. Indicators run side by side with a 2 second
 *       timeout; one that throws or misses it is down, with the exception's message.
 *   <li>Any other path is 404; a method other than GET or HEAD is 405 with {@code Allow: GET,
 *       HEAD}.
 * </ul>
 *
 * <p>Requests are served by two daemon threads named {@code metrics-http-N}. {@link #close()} stops
 * at once, cutting off a scrape in flight (Prometheus tries again at its next interval).
 */
public final class MetricsServer implements AutoCloseable {

  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT_TYPE = "text/plain; charset=utf-8";
  private static final String JSON_TYPE = "application/json";
  private static final String ALLOWED = "GET, HEAD";

  private final HttpServer server;
  private final ExecutorService httpThreads;
  private final ExecutorService healthThreads;
  private final BotMetrics metrics;
  private final HealthChecks health;
  private final URI baseUri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsServer(
      HttpServer server,
      ExecutorService httpThreads,
      ExecutorService healthThreads,
      BotMetrics metrics,
      HealthChecks health,
      URI baseUri) {
    this.server = server;
    this.httpThreads = httpThreads;
    this.healthThreads = healthThreads;
    this.metrics = metrics;
    this.health = health;
    this.baseUri = baseUri;
  }

  /**
   * Listens on {@code host:port} and serves {@code /metrics} and {@code /health}.
   *
   * @param host the interface to listen on, such as {@code 127.0.0.1} or {@code 0.0.0.0}
   * @param port the port, or 0 for any free port (see {@link #port()})
   * @param indicators health indicators by component name, reported in the map's order
   * @throws IllegalStateException if the port cannot be bound, for example because it is in use
   */
  public static MetricsServer start(
      String host, int port, BotMetrics metrics, Map<String, HealthIndicator> indicators) {
    return start(host, port, metrics, indicators, HEALTH_TIMEOUT);
  }

  static MetricsServer start(
      String host,
      int port,
      BotMetrics metrics,
      Map<String, HealthIndicator> indicators,
      Duration healthTimeout) {
    Map<String, HealthIndicator> checked = checkArguments(host, port, metrics, indicators);
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "host must be a name or address of this machine, got '" + host + "'");
    }
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); set server.port to a free port, or 0 for any free port",
          e);
    }
    ExecutorService httpThreads = Executors.newFixedThreadPool(2, daemonThreads("metrics-http-"));
    ExecutorService healthThreads =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(4, checked.size())), daemonThreads("metrics-health-"));
    int boundPort = server.getAddress().getPort();
    MetricsServer started =
        new MetricsServer(
            server,
            httpThreads,
            healthThreads,
            metrics,
            new HealthChecks(checked, healthTimeout, healthThreads),
            uri(host, boundPort));
    server.createContext("/", started::handle);
    server.setExecutor(httpThreads);
    server.start();
    LOG.info(
        "Serving metrics on {}metrics and health on {}health", started.baseUri, started.baseUri);
    return started;
  }

  /** The port listened on; the one chosen when started with port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port/}, with the host as given to {@link #start}. */
  public URI baseUri() {
    return baseUri;
  }

  /** Stops listening and frees the port within about a second; calling it again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    healthThreads.shutdownNow();
    httpThreads.shutdown();
    try {
      if (!httpThreads.awaitTermination(1, TimeUnit.SECONDS)) {
        httpThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      httpThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("Stopped serving metrics on {}", baseUri);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (RuntimeException e) {
      LOG.warn("Cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      if (exchange.getResponseCode() == -1) {
        send(exchange, 500, TEXT_TYPE, "Internal error: " + e.getMessage() + "\n");
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (!path.equals("/metrics") && !path.equals("/health")) {
      send(
          exchange,
          404,
          TEXT_TYPE,
          "Not found: " + path + ". This server has /metrics and /health.\n");
    } else if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", ALLOWED);
      send(
          exchange, 405, TEXT_TYPE, method + " is not allowed on " + path + "; use GET or HEAD.\n");
    } else if (path.equals("/metrics")) {
      send(exchange, 200, METRICS_TYPE, metrics.scrape());
    } else {
      HealthChecks.Report report = health.run();
      send(exchange, report.up() ? 200 : 503, JSON_TYPE, report.toJson());
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, HealthIndicator> checkArguments(
      String host, int port, BotMetrics metrics, Map<String, HealthIndicator> indicators) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "host must not be blank, got " + (host == null ? "null" : "'" + host + "'"));
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    if (metrics == null) {
      throw new IllegalArgumentException("metrics must not be null");
    }
    if (indicators == null) {
      throw new IllegalArgumentException("indicators must not be null; pass Map.of() for none");
    }
    Map<String, HealthIndicator> copy = new LinkedHashMap<>();
    indicators.forEach(
        (name, indicator) -> {
          if (name == null || name.isBlank() || indicator == null) {
            throw new IllegalArgumentException(
                "indicators need a name and an indicator, got " + name + " -> " + indicator);
          }
          copy.put(name, indicator);
        });
    return copy;
  }

  private static URI uri(String host, int port) {
    try {
      return new URI("http", null, host, port, "/", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "host must be a name or address of this machine, got '" + host + "'", e);
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
