package org.imaginebot.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis on 127.0.0.1:6379 for tests, under a key prefix of its own (removed on close). When it
 * is unreachable the test is skipped with the reason, or fails under {@code CI=true}.
 */
public final class TestRedis implements AutoCloseable {

  public static final String URL = "redis://127.0.0.1:6379/0";

  private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
  private final String url;

  private TestRedis(String url) {
    this.url = url;
  }

  /** The local Redis, or a skip (a failure under CI=true) when it is not running. */
  public static TestRedis local() {
    return at(URL);
  }

  /** A Redis at {@code url} (e.g. one the test started). */
  public static TestRedis at(String url) {
    RedisClient client = RedisClient.create(url);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().ping();
    } catch (RuntimeException e) {
      String reason = "Redis at " + url + " is not reachable (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(reason + "; under CI=true the Redis tests must run", e);
      }
      System.out.println("SKIPPED Redis tests: " + reason + " (set CI=true to fail instead)");
      Assumptions.abort(reason + "; Redis cases skipped (CI=true makes this a failure)");
    } finally {
      client.shutdown();
    }
    return new TestRedis(url);
  }

  public String url() {
    return url;
  }

  public String prefix() {
    return prefix;
  }

  /** A config of node {@code node} under this test's prefix. */
  public RedisConfig config(String node) {
    return new RedisConfig(url, prefix, node);
  }

  /** Removes every key under the prefix, as a Redis restart without persistence would. */
  public void wipe() {
    Redis.removeKeys(url, prefix);
  }

  @Override
  public void close() {
    try {
      wipe();
    } catch (RuntimeException e) {
      // a Redis the test stopped: nothing left to remove
    }
  }
}
