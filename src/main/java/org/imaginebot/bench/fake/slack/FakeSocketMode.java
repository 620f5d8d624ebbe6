package org.imaginebot.bench.fake.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The Socket Mode half of {@link FakeSlack}: a plain WebSocket on 127.0.0.1 that accepts only the
 * URLs {@code apps.connections.open} issued (one ticket each), says {@code hello} on connect,
 * pushes envelopes to the newest connection and records what the client sends back (the acks).
 */
final class FakeSocketMode extends WebSocketServer {

  private final ObjectMapper json;
  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicInteger tickets = new AtomicInteger();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final List<SocketAck> acks = new CopyOnWriteArrayList<>();
  private final List<String> opened = new CopyOnWriteArrayList<>();

  private volatile WebSocket session;

  FakeSocketMode(ObjectMapper json) {
    super(new InetSocketAddress("127.0.0.1", 0));
    this.json = json;
    setReuseAddr(true);
    setDaemon(true);
  }

  void startAndWait() {
    start();
    try {
      if (!started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("fake Socket Mode server did not start within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Socket Mode server", e);
    }
  }

  /** A new single-use WebSocket URL, as {@code apps.connections.open} answers it. */
  String issueUrl() {
    String ticket = "ticket-" + tickets.incrementAndGet();
    issued.add(ticket);
    return "ws://127.0.0.1:" + getPort() + "/link/?ticket=" + ticket + "&app_id=AFAKE";
  }

  /** True while a client holds a connection that got {@code hello}. */
  boolean connected() {
    WebSocket current = session;
    return current != null && current.isOpen();
  }

  /** The resource paths of the connections accepted so far, in order. */
  List<String> opened() {
    return List.copyOf(opened);
  }

  List<SocketAck> acks() {
    return List.copyOf(acks);
  }

  /**
   * Sends an envelope to the newest connection; fails when none is open.
   *
   * @return its {@code envelope_id}
   */
  String push(String type, JsonNode payload, boolean acceptsResponsePayload) {
    WebSocket current = session;
    if (current == null || !current.isOpen()) {
      throw new IllegalStateException("no Socket Mode connection to push " + type + " to");
    }
    String envelopeId = UUID.randomUUID().toString();
    ObjectNode envelope = json.createObjectNode();
    envelope
        .put("envelope_id", envelopeId)
        .put("type", type)
        .put("accepts_response_payload", acceptsResponsePayload)
        .set("payload", payload);
    current.send(envelope.toString());
    return envelopeId;
  }

  @Override
  public void onStart() {
    setConnectionLostTimeout(0);
    started.countDown();
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    String path = handshake.getResourceDescriptor();
    String ticket = path.replaceAll(".*[?&]ticket=([^&]*).*", "$1");
    if (!path.startsWith("/link/") || !issued.remove(ticket)) {
      conn.close(1008, "unknown or used ticket"); // only URLs from apps.connections.open, once
      return;
    }
    opened.add(path);
    session = conn;
    ObjectNode hello = json.createObjectNode().put("type", "hello").put("num_connections", 1);
    hello.putObject("debug_info").put("host", "fake-applink").put("build_number", 1);
    hello.putObject("connection_info").put("app_id", "AFAKE");
    conn.send(hello.toString());
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    long at = System.nanoTime();
    try {
      JsonNode ack = json.readTree(message);
      acks.add(
          new SocketAck(
              ack.path("envelope_id").asText(null),
              ack.has("payload") ? ack.get("payload") : null,
              message,
              at));
    } catch (Exception e) {
      acks.add(new SocketAck(null, null, message, at)); // not JSON: the test sees it as it came
    }
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    if (conn == session) {
      session = null;
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    if (conn == null) {
      started.countDown(); // a bind failure: let startAndWait return and getPort fail loudly
    }
  }
}
