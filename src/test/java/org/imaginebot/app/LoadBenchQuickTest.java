package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench load --quick}, as the build runs it, in a JVM of its own whose whole output is kept:
 * the real bot (JDA, core, worker on the tiny models) under a flood of {@code /imagine} from the
 * fake Discord must keep its promises: no job lost or delivered twice, no 429 (the fake enforces 5
 * edits of one message per 5 s), every command answered, no uncaught exception, no token in the
 * log. The same through the real Bolt app against the fake Slack ({@code --platform slack}), where
 * every repeat must come from the cache and at most 5 {@code chat.update}s reach one message in 5
 * s. Latencies are printed, not asserted: this machine is shared.
 */
class LoadBenchQuickTest {

  @TempDir Path dir;

  @Test
  void quickLoad_losesNothing_staysUnderDiscordsLimits_andLogsNoToken() throws Exception {
    BenchProcess load = BenchProcess.run(dir, "load", "--quick");
    String printed = load.printed();
    JsonNode json = load.json();
    assertThat(load.exitCode()).as(printed).isZero();
    assertThat(json.get("commands").asInt()).isEqualTo(LoadBench.QUICK_COMMANDS);
    assertThat(json.get("jobs").asInt()).as("admitted jobs").isPositive();
    assertThat(json.get("cache_hits").asInt()).as("repeats served from the cache").isPositive();
    assertThat(json.get("lost").asInt()).as(printed).isZero();
    assertThat(json.get("duplicated").asInt()).as(printed).isZero();
    assertThat(json.get("unanswered").asInt()).as(printed).isZero();
    assertThat(json.get("http_429").asInt()).as(printed).isZero();
    assertThat(json.get("max_edits_per_5s").asInt())
        .as(printed)
        .isBetween(1, LoadBench.MAX_EDITS_PER_5S);
    assertThat(json.get("uncaught").asInt()).as(printed).isZero();
    assertThat(json.get("light_wait_s").size())
        .as("every light user's job finished")
        .isEqualTo(json.get("users").asInt() - json.get("flooders").asInt());
    assertThat(json.get("ack_ms").size()).isEqualTo(LoadBench.QUICK_COMMANDS);
    assertThat(printed).doesNotContain(FakeDiscord.BOT_TOKEN, "Exception in thread");
  }

  @Test
  void quickLoad_onSlack_losesNothing_servesRepeatsFromTheCache_andLogsNoSecret() throws Exception {
    BenchProcess load = BenchProcess.run(dir, "load", "--quick", "--platform", "slack");
    String printed = load.printed();
    JsonNode json = load.json();
    assertThat(load.exitCode()).as(printed).isZero();
    assertThat(json.get("platform").asText()).isEqualTo("slack");
    assertThat(json.get("client").asText()).isEqualTo("Bolt");
    assertThat(json.get("commands").asInt()).isEqualTo(LoadBench.QUICK_COMMANDS);
    assertThat(json.get("jobs").asInt()).as("admitted jobs").isPositive();
    assertThat(json.get("cache_hits").asInt()).as("repeats served from the cache").isPositive();
    assertThat(json.get("repeats_not_cached").asInt()).as(printed).isZero();
    assertThat(json.get("cache_hit_ms").size()).isEqualTo(json.get("cache_hits").asInt());
    assertThat(json.get("lost").asInt()).as(printed).isZero();
    assertThat(json.get("duplicated").asInt()).as(printed).isZero();
    assertThat(json.get("unanswered").asInt()).as(printed).isZero();
    assertThat(json.get("http_429").asInt()).as(printed).isZero();
    assertThat(json.get("max_edits_per_5s").asInt())
        .as("chat.update calls of one message in 5 s")
        .isBetween(1, LoadBench.MAX_EDITS_PER_5S);
    assertThat(json.get("uncaught").asInt()).as(printed).isZero();
    assertThat(json.get("light_wait_s").size())
        .as("every light user's job finished")
        .isEqualTo(json.get("users").asInt() - json.get("flooders").asInt());
    assertThat(json.get("ack_ms").size()).isEqualTo(LoadBench.QUICK_COMMANDS);
    assertThat(json.get("idle_cache_hit_p50_ms").asDouble())
        .as("the idle repeats came from the cache")
        .isPositive();
    assertThat(printed)
        .doesNotContain(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET, "Exception in thread");
  }
}
