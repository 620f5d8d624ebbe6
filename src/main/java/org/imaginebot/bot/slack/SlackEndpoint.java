package org.imaginebot.bot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.QueryStringParser;
import com.slack.api.bolt.util.SlackRequestParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.bot.Replays;
import org.imaginebot.incident.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint Slack posts commands and button presses to ({@code POST /slack/events}): a JDK
 * {@link HttpServer} that hands each request to Bolt as its servlet adapter does. Bolt checks the
 * signature and timestamp before any handler runs: a forged or stale request gets 401. A replay (a
 * signature seen in the last {@link Replays#WINDOW}, longer than Bolt's 5-minute timestamp window,
 * by this node or, in a cluster, by any bot node) gets 401 here, before Bolt, so a captured request
 * cannot start its job twice.
 */
final class SlackEndpoint implements AutoCloseable {

  static final String PATH = "/slack/events";
  private static final Logger LOG = LoggerFactory.getLogger(SlackEndpoint.class);

  /** Slack posts small forms; anything larger is not from Slack. */
  private static final int MAX_BODY = 1 << 20;

  private final HttpServer server;
  private final ExecutorService threads;

  private SlackEndpoint(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /** Listens on all interfaces at {@code port} (0: any free port). */
  static SlackEndpoint start(App app, int port, Replays replays) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen for Slack on port "
              + port
              + " ("
              + e.getMessage()
              + "); free the port or set slack.port / IMAGINE_SLACK_PORT",
          e);
    }
    AtomicInteger count = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "slack-http-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    SlackRequestParser parser = new SlackRequestParser(app.config());
    server.createContext(PATH, exchange -> handle(app, parser, replays, exchange));
    server.setExecutor(threads);
    server.start();
    return new SlackEndpoint(server, threads);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void handle(
      App app, SlackRequestParser parser, Replays replays, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        exchange.sendResponseHeaders(413, -1);
        return;
      }
      String signature = exchange.getRequestHeaders().getFirst("X-Slack-Signature");
      if (signature != null && !replays.firstTime(signature)) {
        LOG.warn("refused a replayed Slack request (its signature was seen before)");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      Response response;
      try {
        Request<?> request =
            parser.parse(
                SlackRequestParser.HttpRequest.builder()
                    .requestUri(exchange.getRequestURI().getPath())
                    .queryString(QueryStringParser.toMap(exchange.getRequestURI().getRawQuery()))
                    .headers(new RequestHeaders(exchange.getRequestHeaders()))
                    .requestBody(new String(body, StandardCharsets.UTF_8))
                    .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
                    .build());
        response = app.run(request);
      } catch (Exception e) {
        Incident.report(LOG, "handling a Slack request failed", e);
        response = Response.error(500);
      }
      write(exchange, response);
    }
  }

  private static void write(HttpExchange exchange, Response response) throws IOException {
    if (response.getHeaders() != null) {
      for (Map.Entry<String, List<String>> header : response.getHeaders().entrySet()) {
        exchange.getResponseHeaders().put(header.getKey(), header.getValue());
      }
    }
    if (response.getContentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", response.getContentType());
    }
    byte[] body =
        response.getBody() == null
            ? new byte[0]
            : response.getBody().getBytes(StandardCharsets.UTF_8);
    int status = response.getStatusCode() == null ? 200 : response.getStatusCode();
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
