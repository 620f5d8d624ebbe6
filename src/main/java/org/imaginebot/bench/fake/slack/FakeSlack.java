package org.imaginebot.bench.fake.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.app_backend.SlackSignature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Slack's Web API as far as the adapter uses it, on 127.0.0.1 (port 0): {@code auth.test}, {@code
 * chat.postMessage}, {@code chat.update}, {@code chat.delete}, {@code chat.postEphemeral}, {@code
 * chat.getPermalink}, {@code users.info}, files upload v2 ({@code files.getUploadURLExternal}, the
 * upload URL, {@code files.completeUploadExternal}), {@code files.delete}. Every call is recorded
 * with its time; the messages posted and files uploaded are kept until deleted ({@link
 * #messageExists}, {@link #fileExists}), and an update or delete of a message that is not there
 * answers {@code message_not_found}, a deleted file {@code file_not_found}, as Slack does. It also
 * plays Slack's side of the endpoint: signed form posts of slash commands and button presses to the
 * bot; and of Socket Mode: {@code apps.connections.open} (app token only) hands out a local
 * WebSocket URL whose server says {@code hello}, pushes envelopes and records the acks ({@link
 * #pushSlashCommand}, {@link #socketAcks}).
 */
public final class FakeSlack implements AutoCloseable {

  public static final String BOT_TOKEN = "xoxb-fake-1234567890-secret-bot-token";
  public static final String SIGNING_SECRET = "fake-signing-secret-0123456789abcdef";
  public static final String APP_TOKEN = "xapp-1-AFAKE-1234567890-secret-app-token";
  public static final String TEAM_ID = "T0FAKE";
  public static final String CHANNEL_ID = "C0FAKE";
  public static final String BOT_USER = "imagine-bot";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final FakeSocketMode socketMode;
  private final List<ApiCall> calls = new ArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Integer> rateLimited = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<List<String>, Integer> rateLimitedText = new java.util.HashMap<>();
  private volatile int retryAfterSeconds = 1;
  private final java.util.Set<String> closedChannels =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> admins = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> messages = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> files = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private FakeSlack(HttpServer server, FakeSocketMode socketMode) {
    this.server = server;
    this.socketMode = socketMode;
  }

  public static FakeSlack start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeSocketMode socketMode = new FakeSocketMode(JSON);
    socketMode.startAndWait();
    FakeSlack fake = new FakeSlack(server, socketMode);
    server.createContext("/api/", fake::api);
    server.createContext("/upload/", fake::upload);
    server.createContext("/response/", fake::response);
    server.start();
    return fake;
  }

  /** {@code users.info} says this user is a workspace admin. */
  public void addAdmin(String userId) {
    admins.add(userId);
  }

  /**
   * The next {@code times} calls of {@code method} get 429 with {@code Retry-After: seconds}; they
   * are recorded with the parameter {@code fake_answer=429}.
   */
  public void rateLimit(String method, int times, int seconds) {
    retryAfterSeconds = seconds;
    rateLimited.put(method, times);
  }

  /**
   * The next {@code times} calls of {@code method} whose {@code text} starts with {@code
   * textPrefix} (e.g. a finished image's {@code ✅}) get 429 with {@code Retry-After: seconds}; they
   * are recorded with the parameter {@code fake_answer=429}.
   */
  public synchronized void rateLimit(String method, String textPrefix, int times, int seconds) {
    retryAfterSeconds = seconds;
    rateLimitedText.put(List.of(method, textPrefix), times);
  }

  /** Whether this call gets a 429, counting it against the limit that says so. */
  private synchronized boolean limitNow(String method, Map<String, String> params) {
    if (rateLimited.getOrDefault(method, 0) > 0) {
      rateLimited.merge(method, -1, Integer::sum);
      return true;
    }
    String text = params.getOrDefault("text", "");
    for (Map.Entry<List<String>, Integer> limit : rateLimitedText.entrySet()) {
      if (limit.getValue() > 0
          && limit.getKey().get(0).equals(method)
          && text.startsWith(limit.getKey().get(1))) {
        limit.setValue(limit.getValue() - 1);
        return true;
      }
    }
    return false;
  }

  /**
   * chat.postMessage in this channel answers {@code not_in_channel}, as for a channel the bot is
   * not in.
   */
  public void closeChannel(String channelId) {
    closedChannels.add(channelId);
  }

  /** A {@code response_url} that records what is posted to it (as method {@code response_url}). */
  public String responseUrl() {
    return "http://127.0.0.1:"
        + server.getAddress().getPort()
        + "/response/"
        + sequence.incrementAndGet();
  }

  /** Whether the message posted as {@code channel}/{@code ts} is still there (not deleted). */
  public boolean messageExists(String channel, String ts) {
    return messages.contains(channel + "/" + ts);
  }

  /** Whether the file {@code fileId} was uploaded and not deleted since. */
  public boolean fileExists(String fileId) {
    return files.contains(fileId);
  }

  /** What {@code slack.apiUrl} must be. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  /** Every call so far, in order. */
  public synchronized List<ApiCall> calls() {
    return List.copyOf(calls);
  }

  public List<ApiCall> calls(String method) {
    return calls().stream().filter(c -> c.method().equals(method)).toList();
  }

  public List<ApiCall> calls(Predicate<ApiCall> which) {
    return calls().stream().filter(which).toList();
  }

  /**
   * The {@code files.completeUploadExternal} calls that shared a file into a channel (images,
   * timelapses), not the unshared previews.
   */
  public List<ApiCall> sharedFiles() {
    return calls("files.completeUploadExternal").stream()
        .filter(c -> c.param("channel_id") != null)
        .toList();
  }

  /** The bytes sent for the (first) file a {@code files.completeUploadExternal} call completes. */
  public byte[] uploadedBytes(ApiCall complete) {
    String id;
    try {
      id = JSON.readTree(complete.param("files")).get(0).path("id").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return calls("upload").stream()
        .filter(u -> u.param("file_id").equals(id))
        .findFirst()
        .orElseThrow()
        .body();
  }

  private void api(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestURI().getPath().substring("/api/".length());
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> params = form(new String(body, StandardCharsets.UTF_8));
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String bearer =
          auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
      if (bearer != null) {
        params.putIfAbsent("token", bearer);
      }
      if (method.equals(
          "chat.postMessage")) { // recorded with the ts it gets, so tests can follow the message
        params.put("ts", "1700000000." + String.format("%06d", sequence.incrementAndGet()));
      }
      if (limitNow(method, params)) {
        params.put("fake_answer", "429");
        record(new ApiCall(method, params, body, System.nanoTime()));
        exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
        send(exchange, 429, "{\"ok\":false,\"error\":\"ratelimited\"}");
        return;
      }
      record(new ApiCall(method, params, body, System.nanoTime()));
      ObjectNode answer = JSON.createObjectNode();
      if (method.equals("apps.connections.open")) {
        send(exchange, 200, connectionsOpen(bearer).toString());
        return;
      }
      if (!BOT_TOKEN.equals(params.get("token"))) {
        answer.put("ok", false).put("error", "invalid_auth");
        send(exchange, 200, answer.toString());
        return;
      }
      answer.put("ok", true);
      if (method.equals("chat.postMessage") && closedChannels.contains(params.get("channel"))) {
        send(exchange, 200, "{\"ok\":false,\"error\":\"not_in_channel\"}");
        return;
      }
      String message = params.get("channel") + "/" + params.get("ts");
      if ((method.equals("chat.update") || method.equals("chat.delete"))
          && !messages.contains(message)) {
        send(exchange, 200, "{\"ok\":false,\"error\":\"message_not_found\"}");
        return;
      }
      if (method.equals("files.delete") && !files.remove(params.get("file"))) {
        send(exchange, 200, "{\"ok\":false,\"error\":\"file_not_found\"}");
        return;
      }
      switch (method) {
        case "auth.test" ->
            answer
                .put("user_id", "UBOT")
                .put("user", BOT_USER)
                .put("team_id", TEAM_ID)
                .put("team", "Fake Team")
                .put("bot_id", "BFAKE")
                .put("url", "https://fake.slack.com/");
        case "chat.postMessage" -> {
          messages.add(message);
          answer.put("channel", params.get("channel")).put("ts", params.get("ts"));
        }
        case "chat.update" ->
            answer.put("channel", params.get("channel")).put("ts", params.get("ts"));
        case "chat.delete" -> {
          messages.remove(message);
          answer.put("channel", params.get("channel")).put("ts", params.get("ts"));
        }
        case "chat.postEphemeral" ->
            answer.put("message_ts", "1700000001." + sequence.incrementAndGet());
        case "files.getUploadURLExternal" -> {
          String id = "F" + sequence.incrementAndGet();
          answer
              .put("file_id", id)
              .put(
                  "upload_url",
                  "http://127.0.0.1:" + server.getAddress().getPort() + "/upload/" + id);
        }
        case "files.completeUploadExternal" -> {
          var completed = answer.putArray("files");
          JSON.readTree(params.get("files"))
              .forEach(
                  f -> {
                    files.add(f.path("id").asText());
                    completed
                        .addObject()
                        .put("id", f.path("id").asText())
                        .put("title", f.path("title").asText());
                  });
        }
        case "files.delete" -> {
          // removed above; Slack answers just ok
        }
        case "chat.getPermalink" -> {
          String of = params.get("channel") + "/" + params.get("message_ts");
          if (!messages.contains(of)) {
            send(exchange, 200, "{\"ok\":false,\"error\":\"message_not_found\"}");
            return;
          }
          answer
              .put("channel", params.get("channel"))
              .put("permalink", permalink(params.get("channel"), params.get("message_ts")));
        }
        case "views.open" -> answer.putObject("view").put("id", "V" + sequence.incrementAndGet());
        case "users.info" ->
            answer
                .putObject("user")
                .put("id", params.get("user"))
                .put("is_admin", admins.contains(params.get("user")))
                .put("is_owner", false);
        default -> {
          answer.put("ok", false).put("error", "unknown_method");
        }
      }
      send(exchange, 200, answer.toString());
    }
  }

  /** What {@code chat.getPermalink} answers for the message {@code ts} of {@code channel}. */
  public static String permalink(String channel, String ts) {
    return "https://fake.slack.com/archives/" + channel + "/p" + ts.replace(".", "");
  }

  /**
   * Socket Mode's URL, for the app-level token sent as a bearer token only; a bot token gets {@code
   * not_allowed_token_type} as from Slack.
   */
  private ObjectNode connectionsOpen(String bearer) {
    ObjectNode answer = JSON.createObjectNode();
    if (APP_TOKEN.equals(bearer)) {
      return answer.put("ok", true).put("url", socketMode.issueUrl());
    }
    return answer
        .put("ok", false)
        .put(
            "error",
            bearer != null && bearer.startsWith("xoxb-")
                ? "not_allowed_token_type"
                : "invalid_auth");
  }

  private void upload(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String id = exchange.getRequestURI().getPath().substring("/upload/".length());
      record(new ApiCall("upload", Map.of("file_id", id), body, System.nanoTime()));
      send(exchange, 200, "OK - " + body.length);
    }
  }

  private void response(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      JsonNode json = JSON.readTree(body);
      Map<String, String> params = new LinkedHashMap<>();
      json.fields()
          .forEachRemaining(
              f ->
                  params.put(
                      f.getKey(),
                      f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
      record(new ApiCall("response_url", params, body, System.nanoTime()));
      send(exchange, 200, "ok");
    }
  }

  private synchronized void record(ApiCall call) {
    calls.add(call);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      fields.put(
          key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }

  // ---- Slack's side of the bot's endpoint

  /** A slash command's form body, as Slack posts it, from {@link #CHANNEL_ID}. */
  public static String slashCommand(String user, String command, String text) {
    return slashCommand(
        user, command, text, CHANNEL_ID, "https://hooks.slack.invalid/commands/T0FAKE/1/abc");
  }

  /** A slash command's form body from {@code channel}, with its {@code response_url}. */
  public static String slashCommand(
      String user, String command, String text, String channel, String responseUrl) {
    return encode(slashCommandFields(user, command, text, channel, responseUrl));
  }

  private static Map<String, String> slashCommandFields(
      String user, String command, String text, String channel, String responseUrl) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("token", "legacy-verification-token");
    fields.put("team_id", TEAM_ID);
    fields.put("team_domain", "fake");
    fields.put("channel_id", channel);
    fields.put("channel_name", "general");
    fields.put("user_id", user);
    fields.put("user_name", user.toLowerCase());
    fields.put("command", command);
    fields.put("text", text);
    fields.put("api_app_id", "AFAKE");
    fields.put("response_url", responseUrl);
    fields.put("trigger_id", "1.2.abc");
    return fields;
  }

  /** A button press's form body ({@code payload=<json>}), as Slack posts it. */
  public static String buttonPress(String user, String actionId, String value, String messageTs) {
    return "payload="
        + URLEncoder.encode(
            buttonPressPayload(user, actionId, value, messageTs).toString(),
            StandardCharsets.UTF_8);
  }

  /** A button press's JSON payload ({@code block_actions}), as in a form post or an envelope. */
  public static ObjectNode buttonPressPayload(
      String user, String actionId, String value, String messageTs) {
    ObjectNode payload = JSON.createObjectNode();
    payload
        .put("type", "block_actions")
        .put("api_app_id", "AFAKE")
        .put("token", "legacy-verification-token")
        .put("trigger_id", "1.2.def")
        .put("response_url", "https://hooks.slack.invalid/actions/T0FAKE/1/def");
    payload.putObject("team").put("id", TEAM_ID).put("domain", "fake");
    payload
        .putObject("user")
        .put("id", user)
        .put("username", user.toLowerCase())
        .put("team_id", TEAM_ID);
    payload.putObject("channel").put("id", CHANNEL_ID).put("name", "general");
    payload
        .putObject("container")
        .put("type", "message")
        .put("message_ts", messageTs)
        .put("channel_id", CHANNEL_ID);
    payload.putObject("message").put("type", "message").put("ts", messageTs).put("text", "");
    payload
        .putArray("actions")
        .addObject()
        .put("type", "button")
        .put("action_id", actionId)
        .put("block_id", "b1")
        .put("value", value)
        .put("action_ts", "1700000002.000001");
    return payload;
  }

  /**
   * A modal's submission ({@code payload=<json>}), as Slack posts it.
   *
   * @param texts plain-text fields by block id
   * @param selected static-select fields by block id
   */
  public static String formSubmission(
      String user,
      String callbackId,
      String privateMetadata,
      Map<String, String> texts,
      Map<String, String> selected) {
    ObjectNode payload = JSON.createObjectNode();
    payload
        .put("type", "view_submission")
        .put("api_app_id", "AFAKE")
        .put("token", "legacy-verification-token")
        .put("trigger_id", "1.2.ghi");
    payload.putObject("team").put("id", TEAM_ID).put("domain", "fake");
    payload
        .putObject("user")
        .put("id", user)
        .put("username", user.toLowerCase())
        .put("team_id", TEAM_ID);
    ObjectNode view = payload.putObject("view");
    view.put("id", "V1")
        .put("type", "modal")
        .put("callback_id", callbackId)
        .put("private_metadata", privateMetadata)
        .put("team_id", TEAM_ID)
        .put("app_id", "AFAKE");
    ObjectNode values = view.putObject("state").putObject("values");
    texts.forEach(
        (block, text) ->
            values
                .putObject(block)
                .putObject("value")
                .put("type", "plain_text_input")
                .put("value", text));
    selected.forEach(
        (block, value) -> {
          ObjectNode option =
              values
                  .putObject(block)
                  .putObject("value")
                  .put("type", "static_select")
                  .putObject("selected_option");
          option.putObject("text").put("type", "plain_text").put("text", value);
          option.put("value", value);
        });
    payload.putArray("response_urls");
    return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
  }

  /** Posts {@code body} to the bot, signed with {@code secret} at {@code epochSeconds}. */
  public HttpResponse<String> post(int port, String body, String secret, long epochSeconds)
      throws IOException, InterruptedException {
    String timestamp = Long.toString(epochSeconds);
    String signature = new SlackSignature.Generator(secret).generate(timestamp, body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, timestamp)
            .header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Posts {@code body} signed as Slack would, now. */
  public HttpResponse<String> post(int port, String body) throws IOException, InterruptedException {
    return post(port, body, SIGNING_SECRET, System.currentTimeMillis() / 1000);
  }

  private static String encode(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  // ---- Socket Mode: Slack's side of the bot's WebSocket

  /** True while the bot holds a Socket Mode connection (it got {@code hello}). */
  public boolean socketConnected() {
    return socketMode.connected();
  }

  /**
   * The paths of the Socket Mode connections accepted so far: each used a URL {@code
   * apps.connections.open} issued.
   */
  public List<String> socketConnections() {
    return socketMode.opened();
  }

  /**
   * Pushes a {@code slash_commands} envelope from {@link #CHANNEL_ID}, as Slack does in Socket
   * Mode.
   *
   * @return its {@code envelope_id}
   */
  public String pushSlashCommand(String user, String command, String text) {
    ObjectNode payload = JSON.createObjectNode();
    slashCommandFields(
            user, command, text, CHANNEL_ID, "https://hooks.slack.invalid/commands/T0FAKE/1/abc")
        .forEach(payload::put);
    return socketMode.push("slash_commands", payload, true);
  }

  /**
   * Pushes an {@code interactive} envelope (a button press, a form submission) with this payload.
   *
   * @return its {@code envelope_id}
   */
  public String pushInteractive(ObjectNode payload) {
    return socketMode.push(
        "interactive", payload, "view_submission".equals(payload.path("type").asText()));
  }

  /** What the bot sent back on its Socket Mode connections, in order. */
  public List<SocketAck> socketAcks() {
    return socketMode.acks();
  }

  /** The ack of one envelope, if it came. */
  public Optional<SocketAck> socketAck(String envelopeId) {
    return socketAcks().stream().filter(a -> envelopeId.equals(a.envelopeId())).findFirst();
  }

  @Override
  public void close() {
    server.stop(0);
    try {
      socketMode.stop(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
