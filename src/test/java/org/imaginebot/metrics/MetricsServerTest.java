package org.imaginebot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.imaginebot.metrics.Scrapes.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class MetricsServerTest {

  private static final String HOST = "127.0.0.1";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final BotMetrics metrics = new BotMetrics();
  private final List<MetricsServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(MetricsServer::close);
  }

  @Test
  void getMetrics_returns200WithPrometheusTypeAndImagineAndJvmMeters() throws Exception {
    metrics.requestReceived("discord");
    MetricsServer server = start(Map.of());

    HttpResponse<String> response = send(server, "GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(sample(response.body(), "imagine_requests_total{source=\"discord\"}")).contains(1.0);
    assertThat(response.body()).contains("imagine_jobs_queued_total ", "jvm_memory_used_bytes{");
  }

  @Test
  void headMetrics_returns200WithoutBody() throws Exception {
    MetricsServer server = start(Map.of());

    HttpResponse<String> response = send(server, "HEAD", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void getHealth_allUp_returns200WithEachComponent() throws Exception {
    Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    indicators.put("queue", () -> ComponentHealth.up("3 queued, 1 running"));
    indicators.put("engine", () -> ComponentHealth.up("model loaded"));
    MetricsServer server = start(indicators);

    HttpResponse<String> response = send(server, "GET", "/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.body())
        .isEqualTo(
            "{\"status\":\"UP\",\"components\":{"
                + "\"queue\":{\"status\":\"UP\",\"detail\":\"3 queued, 1 running\"},"
                + "\"engine\":{\"status\":\"UP\",\"detail\":\"model loaded\"}}}");
  }

  @Test
  void getHealth_noIndicators_isUp() throws Exception {
    MetricsServer server = start(Map.of());

    HttpResponse<String> response = send(server, "GET", "/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"UP\",\"components\":{}}");
  }

  @Test
  void getHealth_oneDown_returns503() throws Exception {
    Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    indicators.put("queue", () -> ComponentHealth.up("0 queued, 0 running"));
    indicators.put("discord", () -> ComponentHealth.down("gateway disconnected"));
    MetricsServer server = start(indicators);

    HttpResponse<String> response = send(server, "GET", "/health");

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode json = new ObjectMapper().readTree(response.body());
    assertThat(json.path("status").asText()).isEqualTo("DOWN");
    assertThat(json.path("components").path("queue").path("status").asText()).isEqualTo("UP");
    assertThat(json.path("components").path("discord").path("status").asText()).isEqualTo("DOWN");
    assertThat(json.path("components").path("discord").path("detail").asText())
        .isEqualTo("gateway disconnected");
  }

  @Test
  void getHealth_indicatorThrows_isDownWithTheMessage() throws Exception {
    MetricsServer server =
        start(
            Map.of(
                "engine",
                () -> {
                  throw new IllegalStateException("model file missing");
                }));

    HttpResponse<String> response = send(server, "GET", "/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body())
        .isEqualTo(
            "{\"status\":\"DOWN\",\"components\":{"
                + "\"engine\":{\"status\":\"DOWN\",\"detail\":\"model file missing\"}}}");
  }

  @Test
  void getHealth_indicatorHangs_isDownAfterTheTimeout() throws Exception {
    Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    indicators.put("queue", () -> ComponentHealth.up("ok"));
    java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    indicators.put(
        "engine",
        () -> {
          try {
            released.await(); // hangs until the test has its answer
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ComponentHealth.up("late");
        });
    MetricsServer server =
        track(MetricsServer.start(HOST, 0, metrics, indicators, Duration.ofMillis(200)));

    try {
      // Answered while the indicator still hangs (send gives up after its own timeout otherwise).
      HttpResponse<String> response = send(server, "GET", "/health");

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body())
          .contains(
              "\"queue\":{\"status\":\"UP\"",
              "\"engine\":{\"status\":\"DOWN\",\"detail\":\"no answer within 200 ms\"}");
    } finally {
      released.countDown();
    }
  }

  @Test
  void getUnknownPath_returns404NamingTheEndpoints() throws Exception {
    MetricsServer server = start(Map.of());

    HttpResponse<String> response = send(server, "GET", "/status");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("/metrics", "/health");
  }

  @Test
  void postOrDelete_knownPath_returns405WithAllow() throws Exception {
    MetricsServer server = start(Map.of());

    HttpResponse<String> post = send(server, "POST", "/metrics");
    HttpResponse<String> delete = send(server, "DELETE", "/health");

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void start_portInUse_failsNamingHostPortAndConfigKey() {
    MetricsServer first = start(Map.of());

    assertThatIllegalStateException()
        .isThrownBy(() -> track(MetricsServer.start(HOST, first.port(), metrics, Map.of())))
        .withMessageStartingWith("cannot listen on " + HOST + ":" + first.port())
        .withMessageContaining("server.port");
  }

  @Test
  void close_freesThePort_forANewServer() throws Exception {
    MetricsServer first = start(Map.of());
    int port = first.port();
    send(first, "GET", "/metrics");

    long startedAt = System.nanoTime();
    first.close();
    Duration closing = Duration.ofNanos(System.nanoTime() - startedAt);
    first.close();

    assertThat(closing).isLessThan(Duration.ofMillis(1500));
    MetricsServer second = track(MetricsServer.start(HOST, port, metrics, Map.of()));
    assertThat(second.port()).isEqualTo(port);
    assertThat(send(second, "GET", "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void start_portZero_choosesAFreePortAndReportsIt() {
    MetricsServer server = start(Map.of());

    assertThat(server.port()).isPositive();
    assertThat(server.baseUri())
        .isEqualTo(URI.create("http://" + HOST + ":" + server.port() + "/"));
  }

  @Test
  void requests_areServedOnDaemonThreadsNamedMetricsHttp() throws Exception {
    MetricsServer server = start(Map.of());
    send(server, "GET", "/metrics");

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(thread -> thread.getName().startsWith("metrics-http-"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }

  @Test
  void start_badArguments_areRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricsServer.start(HOST, 70_000, metrics, Map.of()))
        .withMessage("port must be between 0 and 65535, got 70000");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricsServer.start(" ", 0, metrics, Map.of()))
        .withMessage("host must not be blank, got ' '");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricsServer.start(HOST, 0, null, Map.of()))
        .withMessage("metrics must not be null");
  }

  private MetricsServer start(Map<String, HealthIndicator> indicators) {
    return track(MetricsServer.start(HOST, 0, metrics, indicators));
  }

  private MetricsServer track(MetricsServer server) {
    servers.add(server);
    return server;
  }

  private HttpResponse<String> send(MetricsServer server, String method, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(server.baseUri().resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
