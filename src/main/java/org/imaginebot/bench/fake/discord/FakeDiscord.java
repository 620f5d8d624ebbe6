package org.imaginebot.bench.fake.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/**
 * A fake Discord on 127.0.0.1 that the real JDA client talks to: a REST server ({@link
 * #restBaseUrl()}) and a gateway WebSocket ({@link #gatewayUrl()}) speaking plain JSON, for
 * end-to-end tests of the bot.
 *
 * <p>Start it with {@link #start()}, point a {@link JDABuilder} at it with {@link
 * #configure(JDABuilder, FakeDiscord)}, then drive interactions ({@link #slashCommand}, {@link
 * #button}, {@link #autocomplete}) and assert on the recorded REST calls ({@link #calls}, {@link
 * #awaitCalls}). Faults: {@link #rateLimitNext}, {@link #enforceRouteLimit}, {@link #failNext},
 * {@link #expireToken}, {@link #failChannelMessages}. All methods are thread-safe.
 *
 * <p>Shards: several clients may connect at once (shards of one bot, or bot nodes); each IDENTIFY
 * opens its own session ({@link #gatewaySessions}), whose READY lists only its shard's guilds, and
 * each interaction goes to the session holding its guild ({@link Interaction#session}).
 *
 * <p>Tokens: by default any token starting with {@link #TOKEN_PREFIX} (such as {@link #BOT_TOKEN})
 * is accepted; {@link #expectToken(String)} narrows that to one. A wrong token gets 401 on REST and
 * close code 4004 on the gateway.
 */
public final class FakeDiscord implements AutoCloseable {
  public static final String APPLICATION_ID = "1300000000000000001";
  public static final String BOT_USER_ID = "1300000000000000002";
  public static final String BOT_USER_NAME = "imagine-bot";
  public static final String TOKEN_PREFIX = "fake-";
  public static final String BOT_TOKEN = "fake-imagine-bot-token";

  /** Defaults used by {@link SlashCommand#of} and {@link ButtonPress#of}. */
  public static final String GUILD_ID = "1300000000000000100";

  public static final String CHANNEL_ID = "1300000000000000200";
  public static final String USER_ID = "1300000000000000300";

  /**
   * The owner of guilds added with {@link #addGuild}: nobody the tests use, so owner rights never
   * leak in.
   */
  public static final String OWNER_ID = "1300000000000000999";

  /** The Manage Server permission bit. */
  public static final long MANAGE_SERVER = 1L << 5;

  /**
   * The bot's permissions in interaction channels unless {@link #appPermissions(long)} says
   * otherwise.
   */
  public static final long DEFAULT_APP_PERMISSIONS =
      (1L << 10) // view channel
          | (1L << 11) // send messages
          | (1L << 14) // embed links
          | (1L << 15) // attach files
          | (1L << 16) // read message history
          | (1L << 18); // use external emojis

  private static final String API_PREFIX = "/api/v10/";
  private static final int LOADING_FLAG = 128;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer http;
  private final ExecutorService httpExecutor;
  private final FakeGateway gateway;
  private final AtomicLong tokenCounter = new AtomicLong();

  private final Object callsLock = new Object();
  private final List<RestCall> calls = new ArrayList<>();
  private final List<RestCall> unknownRoutes = new ArrayList<>();
  private final List<RateLimitRule> rateLimits = new ArrayList<>();
  private final List<FailureRule> failures = new ArrayList<>();
  private final Map<String, java.util.ArrayDeque<Long>> routeHits = new ConcurrentHashMap<>();
  private volatile RouteLimit routeLimit; // null: no limit beyond rateLimitNext
  private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, Failure> channelFailures = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, InteractionState> interactionsByToken = new ConcurrentHashMap<>();
  private final Map<String, String> guildOfChannel = new ConcurrentHashMap<>();
  private final Map<String, ArrayNode> commands = new ConcurrentHashMap<>();
  private final Map<String, String> cachedGuilds =
      new ConcurrentHashMap<>(); // guild id -> channel id
  private final Map<String, String> permissionRoles =
      new ConcurrentHashMap<>(); // "guild/permissions" -> role id

  private volatile String expectedToken;
  private volatile long appPermissions = DEFAULT_APP_PERMISSIONS;

  private record RateLimitRule(String method, Pattern path, double retryAfterSeconds) {}

  private record Failure(int status, int code, String message) {}

  private record RouteLimit(int requests, long windowNanos) {}

  /** Answers the next {@code times} matching calls with {@code status} (under faultsLock). */
  private static final class FailureRule {
    final String method;
    final Pattern path;
    final String bodyContains; // null: any body
    final int status;
    int times;

    FailureRule(String method, Pattern path, String bodyContains, int status, int times) {
      this.method = method;
      this.path = path;
      this.bodyContains = bodyContains;
      this.status = status;
      this.times = times;
    }

    boolean matches(RestCall request) {
      return method.equals(request.method())
          && path.matcher(request.path()).matches()
          && (bodyContains == null || request.text().contains(bodyContains));
    }
  }

  private record Reply(
      int status, JsonNode body, Map<String, String> headers, boolean unknownRoute) {
    static Reply of(int status, JsonNode body) {
      return new Reply(status, body, Map.of(), false);
    }
  }

  private static final class InteractionState {
    final String id;
    final String token;
    final String guildId;
    final String channelId;
    final String originalMessageId;
    final boolean component;
    volatile int callbackType;

    InteractionState(
        String id,
        String token,
        String guildId,
        String channelId,
        String originalMessageId,
        boolean component) {
      this.id = id;
      this.token = token;
      this.guildId = guildId;
      this.channelId = channelId;
      this.originalMessageId = originalMessageId;
      this.component = component;
    }
  }

  private FakeDiscord() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    httpExecutor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "fake-discord-rest");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(httpExecutor);
    http.createContext("/", this::handle);
    gateway = new FakeGateway(json, this::tokenAccepted, this::readyPayload, this::guildCreates);
  }

  /** Starts REST and gateway on free ports of 127.0.0.1. */
  public static FakeDiscord start() {
    try {
      FakeDiscord fake = new FakeDiscord();
      fake.http.start();
      fake.gateway.startAndWait();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Discord", e);
    }
  }

  /**
   * Applies the three settings that point JDA at {@code fake}: the REST base url, a session
   * controller whose gateway is {@link #gatewayUrl()}, and no gateway compression.
   */
  public static JDABuilder configure(JDABuilder builder, FakeDiscord fake) {
    String gatewayUrl = fake.gatewayUrl();
    return builder
        .setRestConfig(new RestConfig().setBaseUrl(fake.restBaseUrl()))
        .setSessionController(
            new ConcurrentSessionController() {
              @Override
              public String getGateway() {
                return gatewayUrl;
              }
            })
        .setCompression(Compression.NONE);
  }

  /** {@code http://127.0.0.1:P/api/v10/}. */
  public String restBaseUrl() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + API_PREFIX;
  }

  /** {@code ws://127.0.0.1:Q/}. */
  public String gatewayUrl() {
    return "ws://127.0.0.1:" + gateway.getPort() + "/";
  }

  /**
   * Accepts only {@code token} from now on (REST Authorization "Bot token" and gateway IDENTIFY).
   */
  public void expectToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token must not be blank, got '" + token + "'");
    }
    this.expectedToken = token;
  }

  /**
   * The bot's permission bitset sent as {@code app_permissions} and channel permissions with
   * interactions.
   */
  public void appPermissions(long permissions) {
    this.appPermissions = permissions;
  }

  /**
   * Makes {@code guildId} a guild the bot is in, as on real Discord (JDA always asks for the GUILDS
   * intent): the READY of the session holding it (its shard, see {@link GatewaySession#holds})
   * lists it and GUILD_CREATE follows with one text channel {@code channelId}, an @everyone role
   * with {@link #appPermissions} and the bot as member. JDA then caches guild and channel, so
   * {@code jda.getGuildById(id).updateCommands()} and {@code channel.sendMessage(..)} work.
   * Interactions there must use {@code channelId}; their member gets a role carrying the
   * interaction's {@code permissions}, so {@code member.hasPermission(Permission.MANAGE_SERVER)}
   * works. Call before JDA connects. Interactions in other guilds arrive as JDA's detached
   * entities.
   */
  public void addGuild(String guildId, String channelId) {
    Snowflakes.requireSnowflake("guildId", guildId);
    Snowflakes.requireSnowflake("channelId", channelId);
    cachedGuilds.put(guildId, channelId);
    guildOfChannel.put(channelId, guildId);
  }

  // ---- gateway ----

  /**
   * Waits until READY (and any GUILD_CREATE) went out on the current gateway connection, or a
   * RESUMED.
   */
  public void awaitReady(Duration timeout) {
    try {
      if (!gateway.awaitReady(timeout)) {
        throw new AssertionError(
            "gateway not ready within " + timeout + "; IDENTIFY: " + gateway.identify());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for READY", e);
    }
  }

  /**
   * The {@code d} of the last IDENTIFY (token, intents, properties...), or null before one arrived.
   */
  public JsonNode identify() {
    return gateway.identify();
  }

  /**
   * Every session an IDENTIFY opened, oldest first, with the shard it asked for and its token: with
   * several clients (shards, nodes) connected, who is who.
   */
  public List<GatewaySession> gatewaySessions() {
    return gateway.sessions();
  }

  /** Every frame the client sent on the gateway, in order (IDENTIFY, heartbeats, RESUME...). */
  public List<JsonNode> gatewayFrames() {
    return gateway.received();
  }

  /**
   * Closes the gateway connection with {@code closeCode} (4000 lets JDA resume), as Discord does at
   * times.
   */
  public void dropGateway(int closeCode) {
    gateway.drop(closeCode);
  }

  // ---- interactions ----

  /**
   * Dispatches INTERACTION_CREATE type 2 (APPLICATION_COMMAND) for {@code command}, on the session
   * that holds its guild, as Discord does.
   */
  public Interaction slashCommand(SlashCommand command) {
    return dispatchCommand(command, 2);
  }

  /**
   * Stores a file a user "attached" to a command and serves it at a URL on this fake, as Discord's
   * CDN would; pass the returned id to {@link CommandOption#attachment}.
   */
  public String upload(String filename, String contentType, byte[] bytes, int width, int height) {
    String id = Snowflakes.now();
    ObjectNode a = json.createObjectNode();
    String url =
        "http://127.0.0.1:" + http.getAddress().getPort() + "/attachments/" + id + "/" + filename;
    a.put("id", id)
        .put("filename", filename)
        .put("size", bytes.length)
        .put("url", url)
        .put("proxy_url", url)
        .put("content_type", contentType)
        .put("width", width)
        .put("height", height);
    uploads.put(id, new Upload(a, bytes.clone()));
    return id;
  }

  private record Upload(ObjectNode attachment, byte[] bytes) {}

  /**
   * Dispatches INTERACTION_CREATE type 4 (autocomplete); one option of {@code command} should be
   * focused.
   */
  public Interaction autocomplete(SlashCommand command) {
    return dispatchCommand(command, 4);
  }

  private Interaction dispatchCommand(SlashCommand command, int type) {
    String id = Snowflakes.at(command.createdAt());
    String token = newToken(id);
    ObjectNode data = json.createObjectNode();
    data.put("id", commandId(command.guildId(), command.name()));
    data.put("name", command.name());
    data.put("type", 1);
    data.set("options", options(command.options()));
    for (CommandOption option : command.options()) {
      if (option.type() == CommandOption.ATTACHMENT) {
        Upload upload = uploads.get(String.valueOf(option.value()));
        data.withObject("resolved")
            .withObject("attachments")
            .set(upload.attachment().path("id").asText(), upload.attachment().deepCopy());
      }
    }
    ObjectNode payload =
        interactionPayload(
            id,
            token,
            type,
            command.guildId(),
            command.channelId(),
            command.userId(),
            command.userName(),
            command.permissions());
    payload.set("data", data);
    interactionsByToken.put(
        token,
        new InteractionState(
            id, token, command.guildId(), command.channelId(), Snowflakes.now(), false));
    GatewaySession session = gateway.dispatch(command.guildId(), "INTERACTION_CREATE", payload);
    return new Interaction(id, token, System.nanoTime(), session);
  }

  /**
   * Dispatches INTERACTION_CREATE type 3 (MESSAGE_COMPONENT, a button) with the message it is
   * attached to.
   */
  public Interaction button(ButtonPress press) {
    String id = Snowflakes.at(press.createdAt());
    String token = newToken(id);
    ObjectNode payload =
        interactionPayload(
            id,
            token,
            3,
            press.guildId(),
            press.channelId(),
            press.userId(),
            press.userName(),
            press.permissions());
    payload.putObject("data").put("custom_id", press.customId()).put("component_type", 2);
    ObjectNode message =
        messages.computeIfAbsent(
            press.messageId(),
            mid -> placeholderMessage(mid, press.channelId(), press.guildId(), press.customId()));
    synchronized (message) {
      payload.set("message", message.deepCopy());
    }
    interactionsByToken.put(
        token,
        new InteractionState(
            id, token, press.guildId(), press.channelId(), press.messageId(), true));
    GatewaySession session = gateway.dispatch(press.guildId(), "INTERACTION_CREATE", payload);
    return new Interaction(id, token, System.nanoTime(), session);
  }

  /**
   * Dispatches INTERACTION_CREATE type 5 (MODAL_SUBMIT): the user filled the modal {@code modalId}
   * that a press of {@code from}'s button opened, so the message it was on goes along; each value
   * is a text input (type 4) inside a label (type 18), as Discord sends them.
   */
  public Interaction modalSubmit(ButtonPress from, String modalId, Map<String, String> values) {
    String id = Snowflakes.at(from.createdAt());
    String token = newToken(id);
    ObjectNode payload =
        interactionPayload(
            id,
            token,
            5,
            from.guildId(),
            from.channelId(),
            from.userId(),
            from.userName(),
            from.permissions());
    ObjectNode data = payload.putObject("data").put("custom_id", modalId);
    ArrayNode components = data.putArray("components");
    int[] uniqueId = {0}; // Discord numbers every component of the modal
    values.forEach(
        (field, value) ->
            components
                .addObject()
                .put("type", 18)
                .put("id", ++uniqueId[0])
                .putObject("component")
                .put("type", 4)
                .put("id", ++uniqueId[0])
                .put("custom_id", field)
                .put("value", value));
    ObjectNode message = messages.get(from.messageId());
    if (message != null) {
      synchronized (message) {
        payload.set("message", message.deepCopy());
      }
    }
    interactionsByToken.put(
        token,
        new InteractionState(id, token, from.guildId(), from.channelId(), Snowflakes.now(), false));
    GatewaySession session = gateway.dispatch(from.guildId(), "INTERACTION_CREATE", payload);
    return new Interaction(id, token, System.nanoTime(), session);
  }

  private String newToken(String interactionId) {
    return "itoken"
        + tokenCounter.incrementAndGet()
        + "x"
        + Long.toHexString(Long.parseUnsignedLong(interactionId));
  }

  private ObjectNode interactionPayload(
      String id,
      String token,
      int type,
      String guildId,
      String channelId,
      String userId,
      String userName,
      long permissions) {
    guildOfChannel.putIfAbsent(channelId, guildId);
    String cachedChannel = cachedGuilds.get(guildId);
    if (cachedChannel != null && !cachedChannel.equals(channelId)) {
      throw new IllegalArgumentException(
          "guild "
              + guildId
              + " was added with channel "
              + cachedChannel
              + "; JDA cannot build an interaction in its uncached channel "
              + channelId);
    }
    ObjectNode p = json.createObjectNode();
    p.put("id", id);
    p.put("application_id", APPLICATION_ID);
    p.put("type", type);
    p.put("token", token);
    p.put("version", 1);
    p.put("guild_id", guildId);
    p.put("channel_id", channelId);
    p.put("app_permissions", Long.toString(appPermissions));
    p.put("locale", "en-US");
    p.put("guild_locale", "en-US");
    p.put("context", 0);
    p.putObject("authorizing_integration_owners").put("0", guildId);
    p.putArray("entitlements");
    p.put("attachment_size_limit", 10 * 1024 * 1024);
    ObjectNode guild = p.putObject("guild");
    guild.put("id", guildId);
    guild.put("locale", "en-US");
    guild.putArray("features");
    ObjectNode channel = p.putObject("channel");
    channel.put("id", channelId);
    channel.put("type", 0);
    channel.put("guild_id", guildId);
    channel.put("name", "general");
    channel.put("position", 0);
    channel.put("nsfw", false);
    channel.putNull("parent_id");
    channel.putNull("topic");
    channel.put("rate_limit_per_user", 0);
    channel.put("permissions", Long.toString(appPermissions));
    channel.putArray("permission_overwrites");
    ObjectNode member = p.putObject("member");
    member.set("user", user(userId, userName, false));
    ArrayNode roles = member.putArray("roles");
    if (cachedChannel != null && permissions != 0) {
      roles.add(permissionRole(guildId, permissions));
    }
    member.put("joined_at", timestamp(Instant.now().minus(Duration.ofDays(30))));
    member.putNull("premium_since");
    member.putNull("nick");
    member.putNull("avatar");
    member.put("deaf", false);
    member.put("mute", false);
    member.put("pending", false);
    member.put("flags", 0);
    member.putNull("communication_disabled_until");
    member.put("permissions", Long.toString(permissions));
    return p;
  }

  /**
   * JDA computes a cached guild's member permissions from roles, so each permission set gets a
   * role, created with GUILD_ROLE_CREATE the first time it is needed.
   */
  private String permissionRole(String guildId, long permissions) {
    String[] created = new String[1];
    String roleId =
        permissionRoles.computeIfAbsent(
            guildId + "/" + permissions,
            key -> {
              created[0] = Snowflakes.now();
              return created[0];
            });
    if (created[0] != null) {
      ObjectNode event = json.createObjectNode().put("guild_id", guildId);
      event.set("role", role(roleId, "permissions " + permissions, permissions, 1));
      gateway.dispatch(guildId, "GUILD_ROLE_CREATE", event);
    }
    return roleId;
  }

  private ObjectNode role(String id, String name, long permissions, int position) {
    ObjectNode role = json.createObjectNode();
    role.put("id", id);
    role.put("name", name);
    role.put("position", position);
    role.put("permissions", Long.toString(permissions));
    role.put("managed", false);
    role.put("hoist", false);
    role.put("mentionable", false);
    role.put("color", 0);
    role.putObject("colors").put("primary_color", 0);
    role.put("flags", 0);
    return role;
  }

  private ArrayNode options(List<CommandOption> options) {
    ArrayNode array = json.createArrayNode();
    for (CommandOption option : options) {
      ObjectNode o = array.addObject().put("name", option.name()).put("type", option.type());
      Object value = option.value();
      if (value instanceof String s) {
        o.put("value", s);
      } else if (value instanceof Boolean b) {
        o.put("value", b);
      } else if (value instanceof Double || value instanceof Float) {
        o.put("value", ((Number) value).doubleValue());
      } else if (value instanceof Number n) {
        o.put("value", n.longValue());
      } else if (value != null) {
        o.put("value", value.toString());
      }
      if (option.focused()) {
        o.put("focused", true);
      }
      if (!option.options().isEmpty()) {
        o.set("options", options(option.options()));
      }
    }
    return array;
  }

  private String commandId(String guildId, String name) {
    for (String scope : List.of(guildId, "global")) {
      ArrayNode registered = commands.get(scope);
      if (registered != null) {
        for (JsonNode c : registered) {
          if (name.equals(c.path("name").asText())) {
            return c.path("id").asText();
          }
        }
      }
    }
    return Long.toString(Math.abs((long) name.hashCode()) + 1_000_000_000_000_000L);
  }

  // ---- recorded calls ----

  /** Every REST call so far, in arrival order. */
  public List<RestCall> calls() {
    synchronized (callsLock) {
      return List.copyOf(calls);
    }
  }

  /**
   * The calls with {@code method} whose path (relative to /api/v10/, no query) matches {@code
   * pathRegex} fully.
   */
  public List<RestCall> calls(String method, String pathRegex) {
    Pattern pattern = Pattern.compile(pathRegex);
    synchronized (callsLock) {
      return calls.stream()
          .filter(c -> c.method().equalsIgnoreCase(method) && pattern.matcher(c.path()).matches())
          .toList();
    }
  }

  /** Waits until at least {@code count} matching calls arrived and returns all matching calls. */
  public List<RestCall> awaitCalls(String method, String pathRegex, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (callsLock) {
      while (true) {
        List<RestCall> matching = calls(method, pathRegex);
        if (matching.size() >= count) {
          return matching;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected "
                  + count
                  + " x "
                  + method
                  + " "
                  + pathRegex
                  + " within "
                  + timeout
                  + ", got "
                  + matching.size()
                  + "; all calls: "
                  + calls);
        }
        try {
          callsLock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "interrupted while waiting for " + method + " " + pathRegex, e);
        }
      }
    }
  }

  /** Waits for the first call matching {@code method} and {@code pathRegex} and returns it. */
  public RestCall awaitCall(String method, String pathRegex, Duration timeout) {
    return awaitCalls(method, pathRegex, 1, timeout).get(0);
  }

  /** The calls that hit no known route (answered 404). */
  public List<RestCall> unknownRoutes() {
    synchronized (callsLock) {
      return List.copyOf(unknownRoutes);
    }
  }

  // ---- stored state ----

  /** A copy of the message the fake holds under {@code messageId}, or null. */
  public JsonNode message(String messageId) {
    ObjectNode message = messages.get(messageId);
    if (message == null) {
      return null;
    }
    synchronized (message) {
      return message.deepCopy();
    }
  }

  /**
   * Copies of every message the fake holds now (posted, interaction responses, follow-ups; deleted
   * ones are gone), in no particular order.
   */
  public List<JsonNode> messages() {
    List<JsonNode> copies = new ArrayList<>();
    for (ObjectNode message : messages.values()) {
      synchronized (message) {
        copies.add(message.deepCopy());
      }
    }
    return copies;
  }

  /** A copy of {@code interaction}'s original response message, or null before it was answered. */
  public JsonNode originalMessage(Interaction interaction) {
    InteractionState state = interactionsByToken.get(interaction.token());
    return state == null ? null : message(state.originalMessageId);
  }

  /** The commands last registered globally (bulk overwrite), with their ids; empty before any. */
  public JsonNode globalCommands() {
    return commands.getOrDefault("global", json.createArrayNode()).deepCopy();
  }

  /** The commands last registered for {@code guildId}, with their ids; empty before any. */
  public JsonNode guildCommands(String guildId) {
    return commands.getOrDefault(guildId, json.createArrayNode()).deepCopy();
  }

  // ---- faults ----

  /**
   * The next call with {@code method} whose path matches {@code pathRegex} answers 429 with {@code
   * retry_after} = {@code retryAfterSeconds} (JDA waits the Retry-After header, whole seconds,
   * rounded up).
   */
  public void rateLimitNext(String method, String pathRegex, double retryAfterSeconds) {
    if (!(retryAfterSeconds > 0)) {
      throw new IllegalArgumentException(
          "retryAfterSeconds must be positive, got " + retryAfterSeconds);
    }
    synchronized (rateLimits) {
      rateLimits.add(
          new RateLimitRule(method.toUpperCase(), Pattern.compile(pathRegex), retryAfterSeconds));
    }
  }

  /**
   * From now on each route (method and path, e.g. the edits of one interaction's reply) takes at
   * most {@code requests} calls in any {@code window}, as Discord's per-route buckets do; a call
   * beyond that answers 429 with the Retry-After until the oldest call leaves the window. Count
   * them with {@link #rateLimited()}.
   */
  public void enforceRouteLimit(int requests, Duration window) {
    if (requests < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "a route limit needs requests >= 1 and a positive window, got "
              + requests
              + " per "
              + window);
    }
    routeLimit = new RouteLimit(requests, window.toNanos());
  }

  /** The calls answered 429 so far, by {@link #rateLimitNext} or {@link #enforceRouteLimit}. */
  public List<RestCall> rateLimited() {
    synchronized (callsLock) {
      return calls.stream().filter(c -> c.status() == 429).toList();
    }
  }

  /**
   * The next {@code times} calls with {@code method} whose path matches {@code pathRegex} answer
   * {@code status} (e.g. 500, which JDA does not retry itself) with a JSON error body.
   */
  public void failNext(String method, String pathRegex, int status, int times) {
    failNext(method, pathRegex, null, status, times);
  }

  /**
   * Like {@link #failNext(String, String, int, int)} for the calls whose body also contains {@code
   * bodyContains} (e.g. a reply's final edit, by a button id only it carries); null: any body.
   */
  public void failNext(
      String method, String pathRegex, String bodyContains, int status, int times) {
    if (status < 400 || status > 599 || times < 1) {
      throw new IllegalArgumentException(
          "failNext needs a 4xx or 5xx status and times >= 1, got " + status + " x " + times);
    }
    synchronized (failures) {
      failures.add(
          new FailureRule(
              method.toUpperCase(), Pattern.compile(pathRegex), bodyContains, status, times));
    }
  }

  /** Later webhook calls with {@code interactionToken} answer 401 Invalid Webhook Token (50027). */
  public void expireToken(String interactionToken) {
    expiredTokens.add(interactionToken);
  }

  /**
   * Posting or editing messages in {@code channelId} answers {@code status} with {@code code} and
   * {@code message}.
   */
  public void failChannelMessages(String channelId, int status, int code, String message) {
    channelFailures.put(channelId, new Failure(status, code, message));
  }

  /** Undoes {@link #failChannelMessages} for {@code channelId}. */
  public void clearChannelFailure(String channelId) {
    channelFailures.remove(channelId);
  }

  @Override
  public void close() {
    http.stop(0);
    httpExecutor.shutdownNow();
    try {
      gateway.stop(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- REST ----

  private void handle(HttpExchange exchange) throws IOException {
    long at = System.nanoTime();
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase();
      String fullPath = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (fullPath.startsWith("/attachments/") && method.equals("GET")) {
        serveUpload(exchange, fullPath);
        return;
      }
      String path =
          fullPath.startsWith(API_PREFIX) ? fullPath.substring(API_PREFIX.length()) : fullPath;
      RestCall request = new RestCall(method, path, contentType, body, at, 0, query, authorization);
      Reply reply;
      try {
        reply = route(request);
      } catch (RuntimeException e) {
        ObjectNode error =
            json.createObjectNode().put("message", "fake Discord failed: " + e).put("code", 0);
        reply = Reply.of(500, error);
      }
      RestCall recorded =
          new RestCall(method, path, contentType, body, at, reply.status(), query, authorization);
      synchronized (callsLock) {
        calls.add(recorded);
        if (reply.unknownRoute()) {
          unknownRoutes.add(recorded);
        }
        callsLock.notifyAll();
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      if (reply.body() == null) {
        exchange.sendResponseHeaders(reply.status(), -1);
      } else {
        byte[] out = json.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), out.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  private void serveUpload(HttpExchange exchange, String fullPath) throws IOException {
    String[] parts = fullPath.split("/");
    Upload upload = parts.length > 2 ? uploads.get(parts[2]) : null;
    if (upload == null) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    exchange
        .getResponseHeaders()
        .set("Content-Type", upload.attachment().path("content_type").asText());
    exchange.sendResponseHeaders(200, upload.bytes().length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(upload.bytes());
    }
  }

  private static final Pattern COMMANDS =
      Pattern.compile("applications/(\\d+)(?:/guilds/(\\d+))?/commands");
  private static final Pattern CALLBACK = Pattern.compile("interactions/(\\d+)/([^/]+)/callback");
  private static final Pattern WEBHOOK =
      Pattern.compile("webhooks/(\\d+)/([^/]+)(?:/messages/(@original|\\d+))?");
  private static final Pattern CHANNEL_MESSAGES =
      Pattern.compile("channels/(\\d+)/messages(?:/(\\d+))?");

  private Reply route(RestCall request) {
    Reply limited = rateLimited(request);
    if (limited == null) {
      limited = overRouteLimit(request);
    }
    if (limited != null) {
      return limited;
    }
    Reply failed = injectedFailure(request);
    if (failed != null) {
      return failed;
    }
    String method = request.method();
    String path = request.path();
    Matcher m;
    if ((m = WEBHOOK.matcher(path)).matches()) {
      return webhook(request, m.group(1), m.group(2), m.group(3));
    }
    if ((m = CALLBACK.matcher(path)).matches()) {
      return callback(request, m.group(1), m.group(2));
    }
    if (!authorized(request.authorization())) {
      return error(401, 0, "401: Unauthorized");
    }
    if (path.equals("users/@me") && method.equals("GET")) {
      return Reply.of(200, selfUser());
    }
    if (path.equals("applications/@me") && method.equals("GET")) {
      return Reply.of(200, applicationInfo());
    }
    if ((m = COMMANDS.matcher(path)).matches()) {
      return commands(request, m.group(1), m.group(2));
    }
    if ((m = CHANNEL_MESSAGES.matcher(path)).matches()) {
      return channelMessages(request, m.group(1), m.group(2));
    }
    return notFound();
  }

  private Reply rateLimited(RestCall request) {
    RateLimitRule hit = null;
    synchronized (rateLimits) {
      for (Iterator<RateLimitRule> it = rateLimits.iterator(); it.hasNext(); ) {
        RateLimitRule rule = it.next();
        if (rule.method().equals(request.method())
            && rule.path().matcher(request.path()).matches()) {
          hit = rule;
          it.remove();
          break;
        }
      }
    }
    if (hit == null) {
      return null;
    }
    return tooManyRequests(hit.retryAfterSeconds(), hit.path().pattern());
  }

  /** 429 when the call's route took {@link #routeLimit} calls in the window already. */
  private Reply overRouteLimit(RestCall request) {
    RouteLimit limit = routeLimit;
    if (limit == null) {
      return null;
    }
    String route = request.method() + " " + request.path();
    java.util.ArrayDeque<Long> hits =
        routeHits.computeIfAbsent(route, r -> new java.util.ArrayDeque<>());
    synchronized (hits) {
      long now = request.atNanos();
      while (!hits.isEmpty() && now - hits.peekFirst() >= limit.windowNanos()) {
        hits.removeFirst();
      }
      if (hits.size() < limit.requests()) {
        hits.addLast(now);
        return null;
      }
      long waitNanos = limit.windowNanos() - (now - hits.peekFirst());
      return tooManyRequests(Math.max(0.001, waitNanos / 1e9), route);
    }
  }

  private Reply injectedFailure(RestCall request) {
    synchronized (failures) {
      for (Iterator<FailureRule> it = failures.iterator(); it.hasNext(); ) {
        FailureRule rule = it.next();
        if (rule.matches(request)) {
          if (--rule.times == 0) {
            it.remove();
          }
          return error(rule.status, 0, rule.status + ": injected failure");
        }
      }
    }
    return null;
  }

  private Reply tooManyRequests(double seconds, String bucket) {
    ObjectNode body =
        json.createObjectNode()
            .put("message", "You are being rate limited.")
            .put("retry_after", seconds)
            .put("global", false);
    Map<String, String> headers = new LinkedHashMap<>();
    // JDA parses Retry-After with Long.parseLong: Discord sends whole seconds there.
    headers.put("Retry-After", Long.toString((long) Math.ceil(seconds)));
    headers.put("X-RateLimit-Limit", "5");
    headers.put("X-RateLimit-Remaining", "0");
    headers.put("X-RateLimit-Reset-After", String.format(java.util.Locale.ROOT, "%.3f", seconds));
    headers.put(
        "X-RateLimit-Reset",
        String.format(
            java.util.Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0 + seconds));
    headers.put("X-RateLimit-Bucket", "fake" + Integer.toHexString(bucket.hashCode()));
    headers.put("X-RateLimit-Scope", "user");
    // Without a Via header JDA takes a 429 for a Cloudflare ban and stalls every route.
    headers.put("Via", "1.1 google");
    return new Reply(429, body, headers, false);
  }

  private boolean tokenAccepted(String token) {
    String expected = expectedToken;
    return expected != null
        ? expected.equals(token)
        : token != null && token.startsWith(TOKEN_PREFIX);
  }

  private boolean authorized(String authorization) {
    return authorization != null
        && authorization.startsWith("Bot ")
        && tokenAccepted(authorization.substring("Bot ".length()));
  }

  private Reply commands(RestCall request, String appId, String guildId) {
    if (!APPLICATION_ID.equals(appId)) {
      return error(404, 10002, "Unknown Application");
    }
    String scope = guildId == null ? "global" : guildId;
    switch (request.method()) {
      case "GET":
        return Reply.of(200, commands.getOrDefault(scope, json.createArrayNode()));
      case "PUT":
        JsonNode submitted = request.json();
        if (!submitted.isArray()) {
          return error(400, 50035, "Invalid Form Body");
        }
        ArrayNode stored = json.createArrayNode();
        for (JsonNode c : submitted) {
          ObjectNode command = ((ObjectNode) c).deepCopy();
          String id = Snowflakes.now();
          command.put("id", id);
          command.put("application_id", APPLICATION_ID);
          command.put("version", id);
          if (!command.has("type")) {
            command.put("type", 1);
          }
          if (guildId != null) {
            command.put("guild_id", guildId);
          }
          stored.add(command);
        }
        commands.put(scope, stored);
        return Reply.of(200, stored);
      default:
        return notFound();
    }
  }

  private Reply callback(RestCall request, String interactionId, String token) {
    if (!request.method().equals("POST")) {
      return notFound();
    }
    InteractionState state = interactionsByToken.get(token);
    if (state == null || !state.id.equals(interactionId) || expiredTokens.contains(token)) {
      return error(404, 10062, "Unknown interaction");
    }
    JsonNode body = request.json();
    int type = body.path("type").asInt(-1);
    JsonNode data = body.path("data");
    synchronized (state) {
      if (state.callbackType != 0) {
        return error(400, 40060, "Interaction has already been acknowledged.");
      }
      state.callbackType = type;
    }
    ObjectNode message = null;
    switch (type) {
      case 4 -> {
        message = newMessage(state.originalMessageId, state.channelId, true);
        applyEdit(message, data, request, false);
        messages.put(message.path("id").asText(), message);
      }
      case 5 -> {
        message = newMessage(state.originalMessageId, state.channelId, true);
        message.put("flags", LOADING_FLAG | (data.path("flags").asInt(0) & 64));
        messages.put(message.path("id").asText(), message);
      }
      case 7 -> {
        message = messages.get(state.originalMessageId);
        if (message != null) {
          synchronized (message) {
            applyEdit(message, data, request, true);
          }
        }
      }
      case 1, 6, 8, 9, 10, 12 -> {
        // pong, deferred update, autocomplete result, modal, premium required, launch activity:
        // recorded only
      }
      default -> {
        state.callbackType = 0;
        return error(400, 50035, "Invalid Form Body: unknown callback type " + type);
      }
    }
    if (!"with_response=true".equals(request.query())) {
      return Reply.of(204, null);
    }
    ObjectNode response = json.createObjectNode();
    ObjectNode interaction = response.putObject("interaction");
    interaction.put("id", state.id);
    interaction.put("type", state.component ? 3 : 2);
    if (message != null) {
      interaction.put("response_message_id", message.path("id").asText());
      interaction.put("response_message_loading", type == 5);
      interaction.put("response_message_ephemeral", (message.path("flags").asInt() & 64) != 0);
    }
    ObjectNode resource = response.putObject("resource");
    resource.put("type", type);
    if (message != null) {
      synchronized (message) {
        resource.set("message", message.deepCopy());
      }
    }
    return Reply.of(200, response);
  }

  private Reply webhook(RestCall request, String appId, String token, String messageId) {
    if (expiredTokens.contains(token)) {
      return error(401, 50027, "Invalid Webhook Token");
    }
    InteractionState state = interactionsByToken.get(token);
    if (!APPLICATION_ID.equals(appId) || state == null) {
      return error(404, 10015, "Unknown Webhook");
    }
    if (messageId == null) {
      if (!request.method().equals("POST")) {
        return notFound();
      }
      ObjectNode message = newMessage(Snowflakes.now(), state.channelId, true);
      applyEdit(message, request.json(), request, false);
      messages.put(message.path("id").asText(), message);
      return Reply.of(200, message.deepCopy());
    }
    String id = messageId.equals("@original") ? state.originalMessageId : messageId;
    ObjectNode message = messages.get(id);
    if (message == null) {
      return error(404, 10008, "Unknown Message");
    }
    switch (request.method()) {
      case "GET":
        synchronized (message) {
          return Reply.of(200, message.deepCopy());
        }
      case "PATCH":
        synchronized (message) {
          applyEdit(message, request.json(), request, true);
          return Reply.of(200, message.deepCopy());
        }
      case "DELETE":
        messages.remove(id);
        return Reply.of(204, null);
      default:
        return notFound();
    }
  }

  private Reply channelMessages(RestCall request, String channelId, String messageId) {
    Failure failure = channelFailures.get(channelId);
    if (failure != null && !request.method().equals("GET")) {
      return error(failure.status(), failure.code(), failure.message());
    }
    if (messageId == null) {
      if (!request.method().equals("POST")) {
        return notFound();
      }
      ObjectNode message = newMessage(Snowflakes.now(), channelId, false);
      applyEdit(message, request.json(), request, false);
      messages.put(message.path("id").asText(), message);
      return Reply.of(200, message.deepCopy());
    }
    ObjectNode message = messages.get(messageId);
    if (message == null || !channelId.equals(message.path("channel_id").asText())) {
      return error(404, 10008, "Unknown Message");
    }
    switch (request.method()) {
      case "GET":
        synchronized (message) {
          return Reply.of(200, message.deepCopy());
        }
      case "PATCH":
        synchronized (message) {
          applyEdit(message, request.json(), request, true);
          return Reply.of(200, message.deepCopy());
        }
      case "DELETE":
        messages.remove(messageId);
        return Reply.of(204, null);
      default:
        return notFound();
    }
  }

  // ---- JSON shapes ----

  private ObjectNode newMessage(String id, String channelId, boolean fromInteraction) {
    ObjectNode m = json.createObjectNode();
    m.put("id", id);
    m.put("type", 0);
    m.put("channel_id", channelId);
    String guildId = guildOfChannel.get(channelId);
    if (guildId != null) {
      m.put("guild_id", guildId);
    }
    m.set("author", user(BOT_USER_ID, BOT_USER_NAME, true));
    m.put("content", "");
    m.putArray("embeds");
    m.putArray("components");
    m.putArray("attachments");
    m.putArray("mentions");
    m.putArray("mention_roles");
    m.put("mention_everyone", false);
    m.put("pinned", false);
    m.put("tts", false);
    m.put("timestamp", timestamp(Instant.now()));
    m.putNull("edited_timestamp");
    m.put("flags", 0);
    if (fromInteraction) {
      m.put("webhook_id", APPLICATION_ID);
      m.put("application_id", APPLICATION_ID);
    }
    return m;
  }

  private ObjectNode placeholderMessage(
      String id, String channelId, String guildId, String customId) {
    guildOfChannel.putIfAbsent(channelId, guildId);
    ObjectNode m = newMessage(id, channelId, false);
    m.put("content", "placeholder message made by FakeDiscord");
    ObjectNode row = m.withArray("components").addObject().put("type", 1);
    row.putArray("components")
        .addObject()
        .put("type", 2)
        .put("style", 1)
        .put("label", customId.length() > 80 ? customId.substring(0, 80) : customId)
        .put("custom_id", customId);
    return m;
  }

  /**
   * Merges message create/edit {@code data} into {@code message}, turning uploaded files into
   * attachments.
   */
  private void applyEdit(ObjectNode message, JsonNode data, RestCall request, boolean isEdit) {
    if (data == null || !data.isObject()) {
      data = json.createObjectNode();
    }
    for (String field : List.of("content", "embeds", "components", "tts")) {
      if (data.has(field)) {
        JsonNode value = data.get(field);
        if (field.equals("embeds") && value.isArray()) { // Discord answers with each embed's type
          value.forEach(
              embed -> {
                if (embed instanceof ObjectNode e && !e.has("type")) {
                  e.put("type", "rich");
                }
              });
        }
        message.set(
            field,
            value.isNull() && field.equals("content") ? json.getNodeFactory().textNode("") : value);
      }
    }
    int flags = message.path("flags").asInt(0) & ~LOADING_FLAG;
    if (data.has("flags")) {
      flags = (flags & 64) | data.path("flags").asInt(0);
    }
    message.put("flags", flags);
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<Integer, String> filenames = new LinkedHashMap<>();
    if (request.isMultipart()) {
      for (Multipart.Part part : Multipart.parse(request.contentType(), request.body())) {
        Matcher idx =
            Pattern.compile("files\\[(\\d+)]").matcher(part.name() == null ? "" : part.name());
        if (idx.matches()) {
          files.put(idx.group(1), part.data());
          filenames.put(Integer.parseInt(idx.group(1)), part.filename());
        }
      }
    }
    if (data.has("attachments") || !files.isEmpty()) {
      Map<String, JsonNode> existing = new LinkedHashMap<>();
      for (JsonNode a : message.path("attachments")) {
        existing.put(a.path("id").asText(), a);
      }
      ArrayNode result = json.createArrayNode();
      Set<String> used = ConcurrentHashMap.newKeySet();
      JsonNode requested =
          data.has("attachments") ? data.get("attachments") : json.createArrayNode();
      for (JsonNode a : requested) {
        String ref = a.path("id").asText();
        if (files.containsKey(ref)) {
          String filename = a.path("filename").asText(filenames.get(Integer.parseInt(ref)));
          result.add(
              attachment(message, filename, files.get(ref), a.path("description").asText(null)));
          used.add(ref);
        } else if (existing.containsKey(ref)) {
          result.add(existing.get(ref));
        }
      }
      files.forEach(
          (ref, bytes) -> {
            if (!used.contains(ref)) {
              result.add(attachment(message, filenames.get(Integer.parseInt(ref)), bytes, null));
            }
          });
      if (isEdit && !data.has("attachments")) {
        existing.values().forEach(a -> result.insert(0, a));
      }
      message.set("attachments", result);
    }
    if (isEdit) {
      message.put("edited_timestamp", timestamp(Instant.now()));
    }
  }

  private ObjectNode attachment(
      ObjectNode message, String filename, byte[] bytes, String description) {
    String id = Snowflakes.now();
    String url =
        "https://cdn.discordapp.com/attachments/"
            + message.path("channel_id").asText()
            + "/"
            + id
            + "/"
            + filename;
    ObjectNode a = json.createObjectNode();
    a.put("id", id);
    a.put("filename", filename);
    a.put("size", bytes.length);
    a.put("url", url);
    a.put("proxy_url", url.replace("cdn.discordapp.com", "media.discordapp.net"));
    String lower = filename == null ? "" : filename.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".png")) {
      a.put("content_type", "image/png");
    } else if (lower.endsWith(".gif")) {
      a.put("content_type", "image/gif");
    }
    if (description != null) {
      a.put("description", description);
    }
    return a;
  }

  private ObjectNode user(String id, String name, boolean bot) {
    ObjectNode u = json.createObjectNode();
    u.put("id", id);
    u.put("username", name);
    u.put("discriminator", "0000");
    u.putNull("global_name");
    u.putNull("avatar");
    u.put("bot", bot);
    u.put("public_flags", 0);
    return u;
  }

  private ObjectNode selfUser() {
    ObjectNode u = user(BOT_USER_ID, BOT_USER_NAME, true);
    u.put("verified", true);
    u.put("mfa_enabled", false);
    u.put("flags", 0);
    return u;
  }

  private ObjectNode applicationInfo() {
    ObjectNode a = json.createObjectNode();
    a.put("id", APPLICATION_ID);
    a.put("name", BOT_USER_NAME);
    a.put("description", "");
    a.putNull("icon");
    a.put("bot_public", true);
    a.put("bot_require_code_grant", false);
    a.put("flags", 0);
    a.set("owner", user(USER_ID, "owner", false));
    a.putNull("team");
    a.set("bot", user(BOT_USER_ID, BOT_USER_NAME, true));
    return a;
  }

  private ObjectNode readyPayload(GatewaySession session) {
    ObjectNode d = json.createObjectNode();
    d.put("v", 10);
    d.set("user", selfUser());
    ArrayNode guilds = d.putArray("guilds");
    cachedGuilds.keySet().stream()
        .filter(session::holds)
        .forEach(id -> guilds.addObject().put("id", id).put("unavailable", true));
    d.putArray("private_channels");
    d.putArray("presences");
    d.putArray("relationships");
    d.putObject("application").put("id", APPLICATION_ID).put("flags", 0);
    d.putArray("_trace").add("[\"fake-discord\"]");
    return d;
  }

  private List<ObjectNode> guildCreates(GatewaySession session) {
    List<ObjectNode> creates = new CopyOnWriteArrayList<>();
    cachedGuilds.forEach(
        (guildId, channelId) -> {
          if (session.holds(guildId)) {
            creates.add(guildCreate(guildId, channelId));
          }
        });
    return creates;
  }

  private ObjectNode guildCreate(String guildId, String channelId) {
    ObjectNode g = json.createObjectNode();
    g.put("id", guildId);
    g.put("name", "fake guild " + guildId);
    g.put("owner_id", OWNER_ID);
    g.put("afk_timeout", 300);
    g.put("verification_level", 0);
    g.put("default_message_notifications", 0);
    g.put("explicit_content_filter", 0);
    g.put("mfa_level", 0);
    g.put("nsfw_level", 0);
    g.put("premium_tier", 0);
    g.put("unavailable", false);
    g.put("member_count", 1);
    g.put("large", false);
    g.put("preferred_locale", "en-US");
    g.putArray("features");
    ArrayNode roles = g.putArray("roles");
    roles.add(role(guildId, "@everyone", appPermissions, 0));
    permissionRoles.forEach(
        (key, roleId) -> {
          if (key.startsWith(
              guildId + "/")) { // after a reconnect: keep the roles members already reference
            long permissions = Long.parseLong(key.substring(guildId.length() + 1));
            roles.add(role(roleId, "permissions " + permissions, permissions, 1));
          }
        });
    ObjectNode channel = g.putArray("channels").addObject();
    channel.put("id", channelId);
    channel.put("type", 0);
    channel.put("guild_id", guildId);
    channel.put("name", "general");
    channel.put("position", 0);
    channel.put("nsfw", false);
    channel.putArray("permission_overwrites");
    ObjectNode self = g.putArray("members").addObject();
    self.set("user", selfUser());
    self.putArray("roles");
    self.put("joined_at", timestamp(Instant.now().minus(Duration.ofDays(1))));
    self.put("deaf", false);
    self.put("mute", false);
    g.putArray("threads");
    g.putArray("guild_scheduled_events");
    g.putArray("emojis");
    g.putArray("stickers");
    g.putArray("voice_states");
    g.putArray("presences");
    g.putArray("stage_instances");
    g.putArray("soundboard_sounds");
    return g;
  }

  private Reply notFound() {
    return new Reply(
        404,
        json.createObjectNode().put("message", "404: Not Found").put("code", 0),
        Map.of(),
        true);
  }

  private Reply error(int status, int code, String message) {
    return Reply.of(status, json.createObjectNode().put("message", message).put("code", code));
  }

  private static String timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
  }

  @Override
  public String toString() {
    return "FakeDiscord[" + restBaseUrl() + ", " + gatewayUrl() + ", " + gateway.sessions() + "]";
  }
}
