package org.imaginebot.bench.fake.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The gateway half of {@link FakeDiscord}: a plain-JSON, uncompressed WebSocket that speaks just
 * enough of Discord's gateway protocol for JDA: HELLO on connect, READY after a valid IDENTIFY,
 * RESUMED after RESUME, op 11 for every heartbeat, and dispatches with increasing sequence numbers.
 *
 * <p>Several clients may be connected at once, one per shard as on Discord: each IDENTIFY opens a
 * session for its {@code shard} ({@code [0, 1]} without one), READY lists only that shard's guilds,
 * and a guild's dispatches go to the session that holds it ({@link GatewaySession#holds}).
 */
final class FakeGateway extends WebSocketServer {
  static final int HEARTBEAT_INTERVAL_MS = 41_250;

  private final ObjectMapper json;
  private final Predicate<String> tokenAccepted;
  private final Function<GatewaySession, ObjectNode> readyPayload;
  private final Function<GatewaySession, List<ObjectNode>> guildCreates;
  private final CountDownLatch started = new CountDownLatch(1);
  private final Object sendLock = new Object();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  /** Every session opened, oldest first; a later one for the same shard replaces the earlier. */
  private final List<Session> sessions = new CopyOnWriteArrayList<>();

  private final Map<WebSocket, Session> byConnection = new ConcurrentHashMap<>();

  /** The last connection opened: the one {@link #drop} closes. */
  private volatile WebSocket latest;

  private volatile CountDownLatch ready = new CountDownLatch(1);
  private volatile JsonNode identify;

  /** One session's connection and sequence; a RESUME moves it to a new connection. */
  private static final class Session {
    final GatewaySession info;
    volatile WebSocket connection;
    volatile boolean ready;
    int sequence; // under sendLock

    Session(GatewaySession info, WebSocket connection) {
      this.info = info;
      this.connection = connection;
    }
  }

  FakeGateway(
      ObjectMapper json,
      Predicate<String> tokenAccepted,
      Function<GatewaySession, ObjectNode> readyPayload,
      Function<GatewaySession, List<ObjectNode>> guildCreates) {
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

  /** Every session opened by an IDENTIFY, oldest first. */
  List<GatewaySession> sessions() {
    return sessions.stream().map(s -> s.info).toList();
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

  /**
   * Sends one dispatch (op 0) to the ready session that holds {@code guildId} (null: shard 0, as
   * for DMs) and returns that session; fails if none is connected and ready.
   */
  GatewaySession dispatch(String guildId, String type, JsonNode data) {
    synchronized (sendLock) {
      for (int i = sessions.size() - 1; i >= 0; i--) {
        Session session = sessions.get(i);
        WebSocket connection = session.connection;
        if (session.ready
            && connection != null
            && connection.isOpen()
            && session.info.holds(guildId)) {
          sendDispatch(session, type, data);
          return session.info;
        }
      }
      throw new IllegalStateException(
          "no ready gateway session holds guild "
              + guildId
              + " to dispatch "
              + type
              + " to; sessions: "
              + sessions());
    }
  }

  /**
   * Closes the last connection opened with the given code, as Discord does before asking for a
   * resume.
   */
  void drop(int code) {
    WebSocket current = latest;
    if (current != null) {
      ready = new CountDownLatch(1);
      Session session = byConnection.get(current);
      if (session != null) {
        session.ready = false; // nothing more goes to it, even before the close completes
      }
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
    latest = conn;
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
    String token = d.path("token").asText();
    if (!tokenAccepted.test(token)) {
      conn.close(4004, "Authentication failed.");
      return;
    }
    JsonNode shard = d.path("shard");
    int shardId = shard.isArray() ? shard.path(0).asInt(-1) : 0;
    int shardTotal = shard.isArray() ? shard.path(1).asInt(0) : 1;
    if (shardTotal < 1 || shardId < 0 || shardId >= shardTotal) {
      conn.close(4010, "Invalid shard."); // Discord's close code for a bad shard array
      return;
    }
    String sessionId = UUID.randomUUID().toString().replace("-", "");
    Session session = new Session(new GatewaySession(sessionId, shardId, shardTotal, token), conn);
    synchronized (sendLock) {
      sessions.removeIf(
          s -> s.info.shardId() == shardId && s.info.shardTotal() == shardTotal); // re-IDENTIFY
      sessions.add(session);
      byConnection.put(conn, session);
      ObjectNode payload = readyPayload.apply(session.info);
      payload.put("session_id", sessionId);
      payload.put("resume_gateway_url", "ws://127.0.0.1:" + getPort() + "/");
      if (shard.isArray()) {
        payload.putArray("shard").add(shardId).add(shardTotal);
      }
      sendDispatch(session, "READY", payload);
      for (ObjectNode guild : guildCreates.apply(session.info)) {
        sendDispatch(session, "GUILD_CREATE", guild);
      }
      session.ready = true;
      ready.countDown();
    }
  }

  private void onResume(WebSocket conn, JsonNode d) {
    String sessionId = d.path("session_id").asText();
    Session session =
        sessions.stream()
            .filter(s -> s.info.sessionId().equals(sessionId))
            .findFirst()
            .orElse(null);
    if (session == null || !tokenAccepted.test(d.path("token").asText())) {
      conn.send("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
      return;
    }
    synchronized (sendLock) {
      session.connection = conn;
      byConnection.put(conn, session);
      sendDispatch(session, "RESUMED", json.createObjectNode());
      session.ready = true;
      ready.countDown();
    }
  }

  private void sendDispatch(Session session, String type, JsonNode data) {
    ObjectNode frame =
        json.createObjectNode().put("op", 0).put("t", type).put("s", ++session.sequence);
    frame.set("d", data);
    session.connection.send(frame.toString());
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    Session session = byConnection.remove(conn);
    if (session != null && session.connection == conn) {
      session.ready = false;
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    if (conn == null) {
      started.countDown(); // a bind failure: let startAndWait return and getPort fail loudly
    }
  }
}
