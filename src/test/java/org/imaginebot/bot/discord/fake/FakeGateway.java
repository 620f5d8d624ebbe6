package org.imaginebot.bot.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The gateway half of {@link FakeDiscord}: a plain-JSON, uncompressed WebSocket that speaks just
 * enough of Discord's gateway protocol for JDA: HELLO on connect, READY after a valid IDENTIFY,
 * RESUMED after RESUME, op 11 for every heartbeat, and dispatches with increasing sequence numbers.
 */
final class FakeGateway extends WebSocketServer {
  static final int HEARTBEAT_INTERVAL_MS = 41_250;

  private final ObjectMapper json;
  private final Predicate<String> tokenAccepted;
  private final Supplier<ObjectNode> readyPayload;
  private final Supplier<List<ObjectNode>> guildCreates;
  private final CountDownLatch started = new CountDownLatch(1);
  private final Object sendLock = new Object();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final String sessionId = UUID.randomUUID().toString().replace("-", "");

  private volatile WebSocket session;
  private volatile CountDownLatch ready = new CountDownLatch(1);
  private volatile JsonNode identify;
  private int sequence;

  FakeGateway(
      ObjectMapper json,
      Predicate<String> tokenAccepted,
      Supplier<ObjectNode> readyPayload,
      Supplier<List<ObjectNode>> guildCreates) {
    super(new InetSocketAddress("127.0.0.1", 0));
    this.json = json;
    this.tokenAccepted = tokenAccepted;
    this.readyPayload = readyPayload;
    this.guildCreates = guildCreates;
    setReuseAddr(true);
    setDaemon(true);
  }

  void startAndWait() {
    start();
    try {
      if (!started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gateway did not start within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the gateway", e);
    }
  }

  String sessionId() {
    return sessionId;
  }

  JsonNode identify() {
    return identify;
  }

  List<JsonNode> received() {
    return List.copyOf(received);
  }

  boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends one dispatch (op 0) to the connected client; fails if none is connected and ready. */
  void dispatch(String type, JsonNode data) {
    synchronized (sendLock) {
      WebSocket current = session;
      if (current == null || !current.isOpen() || ready.getCount() > 0) {
        throw new IllegalStateException("no ready gateway session to dispatch " + type + " to");
      }
      sendDispatch(current, type, data);
    }
  }

  /**
   * Closes the current connection with the given code, as Discord does before asking for a resume.
   */
  void drop(int code) {
    WebSocket current = session;
    if (current != null) {
      ready = new CountDownLatch(1);
      current.close(code, "fake gateway drop");
    }
  }

  @Override
  public void onStart() {
    setConnectionLostTimeout(0);
    started.countDown();
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    session = conn;
    ObjectNode hello = json.createObjectNode().put("op", 10);
    hello.putNull("s");
    hello.putNull("t");
    hello.putObject("d").put("heartbeat_interval", HEARTBEAT_INTERVAL_MS);
    conn.send(hello.toString());
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    JsonNode frame;
    try {
      frame = json.readTree(message);
    } catch (IOException e) {
      conn.close(4002, "Error while decoding payload.");
      return;
    }
    received.add(frame);
    int op = frame.path("op").asInt(-1);
    JsonNode d = frame.path("d");
    switch (op) {
      case 1 -> conn.send("{\"op\":11,\"d\":null,\"s\":null,\"t\":null}");
      case 2 -> onIdentify(conn, d);
      case 6 -> onResume(conn, d);
      default -> {
        // presence updates, member requests and the like are recorded, not answered
      }
    }
  }

  private void onIdentify(WebSocket conn, JsonNode d) {
    identify = d;
    if (!tokenAccepted.test(d.path("token").asText())) {
      conn.close(4004, "Authentication failed.");
      return;
    }
    synchronized (sendLock) {
      sequence = 0;
      ObjectNode payload = readyPayload.get();
      payload.put("session_id", sessionId);
      payload.put("resume_gateway_url", "ws://127.0.0.1:" + getPort() + "/");
      sendDispatch(conn, "READY", payload);
      for (ObjectNode guild : guildCreates.get()) {
        sendDispatch(conn, "GUILD_CREATE", guild);
      }
      ready.countDown();
    }
  }

  private void onResume(WebSocket conn, JsonNode d) {
    if (!sessionId.equals(d.path("session_id").asText())
        || !tokenAccepted.test(d.path("token").asText())) {
      conn.send("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
      return;
    }
    synchronized (sendLock) {
      sendDispatch(conn, "RESUMED", json.createObjectNode());
      ready.countDown();
    }
  }

  private void sendDispatch(WebSocket conn, String type, JsonNode data) {
    ObjectNode frame = json.createObjectNode().put("op", 0).put("t", type).put("s", ++sequence);
    frame.set("d", data);
    conn.send(frame.toString());
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
