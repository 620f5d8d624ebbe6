package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench faults --quick}, as the build runs it: while the fake Discord answers 429s and 500s
 * and drops the gateway (with --cluster: while a worker JVM is SIGKILLed mid-job and Redis is
 * killed and restarted; with --platform slack: while the fake Slack answers 429s), every admitted
 * job reaches its user exactly once, every command is answered, nothing is thrown uncaught and no
 * token reaches the log.
 */
class FaultsBenchQuickTest {

  @TempDir Path dir;

  @Test
  void quickFaults_everyAdmittedJobReachesItsUserExactlyOnce() throws Exception {
    BenchProcess faults = BenchProcess.run(dir, "faults", "--quick");
    String printed = faults.printed();
    JsonNode json = faults.json();

    assertThat(faults.exitCode()).as(printed).isZero();
    assertThat(json.get("commands").asInt()).isEqualTo(FaultsBench.QUICK_COMMANDS);
    assertThat(json.get("jobs").asInt()).as("admitted jobs").isPositive();
    assertThat(json.get("lost").asInt()).as(printed).isZero();
    assertThat(json.get("duplicated").asInt()).as(printed).isZero();
    assertThat(json.get("unanswered").asInt()).as(printed).isZero();
    assertThat(json.get("uncaught").asInt()).as(printed).isZero();
    JsonNode injected = json.get("injected");
    assertThat(injected.get("gateway_drops").asInt()).isEqualTo(1);
    assertThat(injected.get("discord_500_edits").asInt()).isPositive();
    assertThat(injected.get("discord_429_edits").asInt()).isPositive();
    assertThat(json.get("http_5xx_sent").asInt()).as("the 500s were answered").isPositive();
    assertThat(json.get("http_429_sent").asInt()).as("the 429s were answered").isPositive();
    assertThat(json.get("final_edits_answered_5xx").asInt())
        .as("final edits failed, and were sent again")
        .isPositive();
    assertThat(json.get("gateway_sessions_resumed").asInt()).as("JDA resumed").isPositive();
    assertThat(printed).doesNotContain(FakeDiscord.BOT_TOKEN, "Exception in thread");
  }

  /** The database the store tests use (see {@code db.TestDatabase}). */
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @Test
  void quickFaults_withTheDatabaseCutMidRun_onPostgres_stillLoseNothing() throws Exception {
    requirePostgres();
    BenchProcess faults = BenchProcess.run(dir, "faults", "--quick", "--database", POSTGRES);
    String printed = faults.printed();
    JsonNode json = faults.json();

    assertThat(faults.exitCode()).as(printed).isZero();
    assertThat(json.get("database").asText()).isEqualTo("postgresql");
    assertThat(json.get("injected").get("database_outages").asInt()).isEqualTo(1);
    assertThat(printed).contains("faults: database reachable again");
    assertThat(json.get("jobs").asInt()).as("admitted jobs").isPositive();
    assertThat(json.get("lost").asInt()).as(printed).isZero();
    assertThat(json.get("duplicated").asInt()).as(printed).isZero();
    assertThat(json.get("unanswered").asInt()).as(printed).isZero();
    assertThat(json.get("uncaught").asInt()).as(printed).isZero();
    assertThat(printed).doesNotContain(FakeDiscord.BOT_TOKEN, "Exception in thread");
  }

  @Test
  void quickFaults_inACluster_workerKilledMidJobAndRedisRestarted_loseNothing() throws Exception {
    requirePostgres();
    requireRedisServer();
    BenchProcess faults =
        BenchProcess.run(dir, "faults", "--quick", "--cluster", "--database", POSTGRES);
    String printed = faults.printed();
    JsonNode json = faults.json();

    assertThat(faults.exitCode()).as(printed).isZero();
    JsonNode injected = json.get("injected");
    assertThat(injected.path("workers_killed_mid_job").asInt()).as(printed).isEqualTo(1);
    assertThat(injected.path("redis_restarts").asInt()).as(printed).isEqualTo(1);
    assertThat(printed).containsPattern("faults: worker w\\d SIGKILLed while running job");
    assertThat(printed).contains("faults: redis running again, empty");
    assertThat(json.get("jobs").asInt()).as("admitted jobs").isPositive();
    assertThat(json.get("lost").asInt()).as(printed).isZero();
    assertThat(json.get("duplicated").asInt()).as(printed).isZero();
    assertThat(json.get("unanswered").asInt()).as(printed).isZero();
    assertThat(json.get("uncaught").asInt()).as(printed).isZero();
    assertThat(printed).doesNotContain(FakeDiscord.BOT_TOKEN, "Exception in thread");
  }

  @Test
  void quickFaults_onSlack_with429sOnUpdatesAndPosts_everyUserGetsOneFinalMessage()
      throws Exception {
    BenchProcess faults = BenchProcess.run(dir, "faults", "--quick", "--platform", "slack");
    String printed = faults.printed();
    JsonNode json = faults.json();

    assertThat(faults.exitCode()).as(printed).isZero();
    assertThat(json.get("platform").asText()).isEqualTo("slack");
    assertThat(json.get("commands").asInt()).isEqualTo(FaultsBench.QUICK_COMMANDS);
    assertThat(json.get("jobs").asInt()).as("admitted jobs").isPositive();
    assertThat(json.get("injected").get("slack_429_updates").asInt()).isPositive();
    assertThat(json.get("injected").get("slack_429_posts").asInt()).isPositive();
    assertThat(json.get("http_429_sent").asInt()).as("the 429s were answered").isPositive();
    assertThat(json.get("final_messages_answered_429").asInt())
        .as("final messages limited, and sent again")
        .isPositive();
    assertThat(json.get("lost").asInt()).as(printed).isZero();
    assertThat(json.get("duplicated").asInt()).as(printed).isZero();
    assertThat(json.get("unanswered").asInt()).as(printed).isZero();
    assertThat(json.get("uncaught").asInt()).as(printed).isZero();
    assertThat(printed)
        .doesNotContain(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET, "Exception in thread");
  }

  private static void requirePostgres() {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(POSTGRES)) {
      assertThat(c.isValid(2)).isTrue();
    } catch (java.sql.SQLException e) {
      unavailable("PostgreSQL at 127.0.0.1:5432 is not reachable (" + e.getMessage() + ")", e);
    }
  }

  private void requireRedisServer() throws InterruptedException {
    try (org.imaginebot.bench.RedisProcess redis = org.imaginebot.bench.RedisProcess.start(dir)) {
      assertThat(redis.url()).startsWith("redis://");
    } catch (java.io.IOException e) {
      unavailable("cannot run redis-server (" + e.getMessage() + ")", e);
    }
  }

  /** Skips, or fails under CI=true, where a service the test needs is missing. */
  private static void unavailable(String reason, Exception e) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.fail(reason + "; under CI=true this test must run", e);
    }
    org.junit.jupiter.api.Assumptions.abort(reason);
  }
}
