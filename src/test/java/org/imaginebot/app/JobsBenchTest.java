package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.imaginebot.cluster.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench jobs} runs real tiny jobs through both paths and leaves nothing in Redis. */
class JobsBenchTest {

  @TempDir Path dir;

  @Test
  void timesBothPathsAndPrintsTheRatio() throws Exception {
    TestRedis redis = TestRedis.local();
    long keysBefore = keyCount(redis.url());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    Path file = dir.resolve("jobs.json");
    int code =
        Main.run(
            new String[] {
              "bench",
              "jobs",
              "--jobs",
              "2",
              "--steps",
              "2",
              "--redis",
              redis.url(),
              "--out",
              file.toString(),
              "--set",
              "engine.cutouts=4"
            },
            Map.of(),
            stream,
            stream,
            false);
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertThat(json.get("benchmark").asText()).isEqualTo("jobs");
    assertThat(json.get("jobs").asInt()).isEqualTo(2);
    double local = json.get("local_median_ms").asDouble();
    double viaRedis = json.get("redis_median_ms").asDouble();
    assertThat(local).isPositive();
    assertThat(viaRedis).isPositive();
    assertThat(json.get("control_median_ms").asDouble()).isPositive();
    // per round: redis / local, then the median of the two rounds' ratios
    JsonNode l = json.get("local_ms");
    JsonNode r = json.get("redis_ms");
    JsonNode c = json.get("control_ms");
    assertThat(l).hasSize(2);
    assertThat(json.get("ratio_median").asDouble())
        .isCloseTo(
            (r.get(0).asDouble() / l.get(0).asDouble() + r.get(1).asDouble() / l.get(1).asDouble())
                / 2,
            org.assertj.core.data.Offset.offset(0.002));
    assertThat(json.get("control_ratio_median").asDouble())
        .isCloseTo(
            (c.get(0).asDouble() / l.get(0).asDouble() + c.get(1).asDouble() / l.get(1).asDouble())
                / 2,
            org.assertj.core.data.Offset.offset(0.002));
    assertThat(json.get("covers").asText()).contains("not a network between machines");
    assertThat(keyCount(redis.url())).as("its key prefix is removed").isEqualTo(keysBefore);
  }

  private static long keyCount(String url) {
    RedisClient client = RedisClient.create(url);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return c.sync().keys("bench-jobs-*").size();
    } finally {
      client.shutdown();
    }
  }
}
