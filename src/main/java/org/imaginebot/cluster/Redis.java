package org.imaginebot.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's link to Redis (Lettuce): a shared command connection, a pub/sub connection, and the
 * cluster's Lua scripts. Lettuce reconnects by itself (with backoff) and subscribes again; while it
 * is away commands fail at once ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}) or
 * after the command timeout, so a request is refused, never hung.
 */
public final class Redis implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Redis.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private final RedisConfig config;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisPubSubConnection<String, String> pubSub;
  private final Map<String, BiConsumer<String, String>> handlers = new ConcurrentHashMap<>();
  private final Map<String, String> scripts = new ConcurrentHashMap<>();
  private final Map<String, String> digests = new ConcurrentHashMap<>();

  private Redis(RedisConfig config) {
    this.config = config;
    RedisURI uri = RedisURI.create(config.url());
    uri.setTimeout(COMMAND_TIMEOUT);
    this.client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
    StatefulRedisConnection<String, String> commands = null;
    try {
      commands = client.connect();
      this.connection = commands;
      this.pubSub = client.connectPubSub();
    } catch (RuntimeException e) {
      if (commands != null) {
        commands.close();
      }
      client.shutdown();
      throw new RedisUnavailableException(
          "cannot reach Redis at " + config.redactedUrl() + " (" + describe(e) + ")", e);
    }
    pubSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            BiConsumer<String, String> handler = handlers.get(channel);
            if (handler != null) {
              try {
                handler.accept(channel, message);
              } catch (RuntimeException e) {
                LOG.warn("handling a message on {} failed", channel, e);
              }
            }
          }
        });
  }

  /**
   * Connects to {@code config.url()}.
   *
   * @throws RedisUnavailableException when Redis cannot be reached now
   */
  public static Redis connect(RedisConfig config) {
    Objects.requireNonNull(config, "config");
    if (!config.configured()) {
      throw new IllegalArgumentException("redis.url is not set");
    }
    return new Redis(config);
  }

  public RedisConfig config() {
    return config;
  }

  /** A key or channel name under this bot's prefix. */
  public String key(String name) {
    return config.keyPrefix() + name;
  }

  /** The shared command connection (thread-safe; commands are pipelined by Lettuce). */
  public RedisCommands<String, String> commands() {
    return connection.sync();
  }

  /** Calls {@code handler} for every message published on {@code channel} (under the prefix). */
  public void subscribe(String channel, BiConsumer<String, String> handler) {
    String full = key(channel);
    handlers.put(full, handler);
    pubSub.sync().subscribe(full);
  }

  /** Publishes on {@code channel} (under the prefix); the number of nodes that got it. */
  public long publish(String channel, String message) {
    return commands().publish(key(channel), message);
  }

  /**
   * Publishes on {@code channel} without waiting for Redis: for messages that may be lost
   * (progress), so the caller's thread (the engine's, between two steps) never waits on the
   * network. Commands on the connection keep their order, so a later {@link #publish} arrives after
   * this one.
   */
  public void publishAndForget(String channel, String message) {
    connection
        .async()
        .publish(key(channel), message)
        .exceptionally(
            e -> {
              LOG.debug("a message on {} was lost ({})", channel, describe(e));
              return 0L;
            });
  }

  /**
   * Runs the script {@code name} ({@code cluster/<name>.lua} after {@code common.lua}) with the
   * prefix as ARGV[1] and then {@code args}; loads it again when Redis lost it (a restart).
   */
  @SuppressWarnings("unchecked")
  public <T> T script(String name, ScriptOutputType type, String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = config.keyPrefix();
    System.arraycopy(args, 0, argv, 1, args.length);
    String digest = digests.computeIfAbsent(name, n -> commands().scriptLoad(source(n)));
    try {
      return (T) commands().evalsha(digest, type, new String[0], argv);
    } catch (RedisNoScriptException e) {
      digest = commands().scriptLoad(source(name));
      digests.put(name, digest);
      return (T) commands().evalsha(digest, type, new String[0], argv);
    }
  }

  private String source(String name) {
    return scripts.computeIfAbsent(name, n -> resource("common") + "\n" + resource(n));
  }

  private static String resource(String name) {
    try (InputStream in = Redis.class.getResourceAsStream("/cluster/" + name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing script cluster/" + name + ".lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes every key under {@code prefix} at {@code url} (a throwaway prefix of a bench or test).
   */
  public static void removeKeys(String url, String prefix) {
    RedisClient client = RedisClient.create(url);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      removeKeys(c.sync(), prefix);
    } finally {
      client.shutdown();
    }
  }

  /** Removes every key under this connection's prefix (a throwaway one: a bench's, a test's). */
  public void removeAllKeys() {
    removeKeys(commands(), config.keyPrefix());
  }

  private static void removeKeys(RedisCommands<String, String> commands, String prefix) {
    io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
    do {
      io.lettuce.core.KeyScanCursor<String> page =
          commands.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(prefix + "*").limit(500));
      if (!page.getKeys().isEmpty()) {
        commands.del(page.getKeys().toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  /** "up", or "down (why)" for {@code /health}. */
  public String probe() {
    try {
      commands().ping();
      return "up";
    } catch (RedisException e) {
      return "down (" + describe(e) + ")";
    }
  }

  /** A short cause for logs and health, never the URL's password. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // Lettuce's messages name host and port only, never the URL's password.
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @Override
  public void close() {
    try {
      pubSub.close();
      connection.close();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
