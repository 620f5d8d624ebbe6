package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.imaginebot.app.Cli.Outcome;
import org.imaginebot.cluster.TestRedis;
import org.imaginebot.engine.CpuKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class BenchCommandTest {

  private static Outcome run(String... args) {
    return Cli.run(args);
  }

  /**
   * {@code bench engine ARGS} with 4 cutouts on one thread, its JSON written to {@code results}.
   */
  private static Outcome benchEngineOnTinyModels(Path results, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("bench", "engine"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--out", results.toString(), "--set", "engine.cutouts=4", "--set", "engine.threads=1"));
    return Cli.run(all);
  }

  @Test
  void benchSheet_timesASheetAgainstOneImageOfTheSameSteps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sheet.json");

    Outcome outcome =
        run(
            "bench",
            "sheet",
            "--steps",
            "4",
            "--rounds",
            "2",
            "--out",
            file.toString(),
            "--set",
            "engine.cutouts=2");

    assertThat(outcome.code()).as(outcome.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertThat(json.path("bench").asText()).isEqualTo("sheet");
    assertThat(json.path("rounds").asInt()).isEqualTo(2);
    assertThat(json.path("single_median_ms").asDouble()).isPositive();
    assertThat(json.path("sheet_median_ms").asDouble()).isPositive();
    assertThat(json.path("ratio_median").asDouble()).isPositive();
    assertThat(json.path("cpu_ratio_median").asDouble()).isPositive();
    assertThat(outcome.out().strip()).endsWith(json.toString());
    assertThat(run("bench", "sheet", "--steps", "3").err()).contains("--steps must be at least 4");
  }

  @Test
  void benchEngine_tinyModels_printsAndWritesOneJsonLine_phasesAddUpToTheStep(@TempDir Path dir)
      throws Exception {
    Path results = dir.resolve("results/engine.json");

    Outcome run =
        benchEngineOnTinyModels(results, "--rounds", "2", "--steps", "2", "--limit", "none");

    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(Files.readString(results).strip()).isEqualTo(lines.get(lines.size() - 1));
    assertThat(json.get("model").asText()).isEqualTo("tiny");
    assertThat(json.get("cutouts").asInt()).isEqualTo(4);
    assertThat(json.get("threads").asInt()).isEqualTo(1);
    assertThat(json.get("cpu_kernels").asText()) // the kernels in use, never "auto"
        .isIn(CpuKernels.ids())
        .isNotEqualTo(CpuKernels.AUTO.id());
    assertThat(json.get("java_rounds_ms")).hasSize(2);
    assertThat(json.get("limit_ms_per_step").isNull()).isTrue();
    assertThat(json.get("overhead_pct").isNull()).isTrue();
    double total = json.get("java_ms_per_step").asDouble();
    JsonNode phases = json.get("phases_ms");
    assertThat(phases.fieldNames())
        .toIterable()
        .containsExactly("generator", "cutouts", "clip", "backward", "adam", "preview");
    double sum = 0;
    for (JsonNode ms : phases) {
      assertThat(ms.asDouble()).isNotNegative();
      sum += ms.asDouble();
    }
    // phases are medians over rounds, the total a median too: they agree to within rounding and the
    // loop's own few microseconds, well inside 15 % on a noisy machine
    assertThat(sum)
        .isPositive()
        .isCloseTo(total, org.assertj.core.data.Percentage.withPercentage(15));
    assertThat(json.get("live_arrays_growth").asLong()).isZero();
  }

  /**
   * The limit modules under src/test/resources/limit were made from the tiny models by {@code
   * scripts/export/bench_limit.py} (one per generator kind): the limit computes the same loss as
   * our step from the same latents and boxes, so the bench compares like with like.
   */
  @ParameterizedTest
  @CsvSource({"tiny, tiny-limit-step.pt", "tiny-stylegan, tiny-stylegan-limit-step.pt"})
  void benchEngine_withALimitModule_theLimitComputesOurLoss(
      String model, String limitFile, @TempDir Path dir) throws Exception {
    Path limit = Path.of("src/test/resources/limit", limitFile);
    Path results = dir.resolve("engine.json");

    Outcome run =
        benchEngineOnTinyModels(
            results,
            "--model",
            model,
            "--rounds",
            "2",
            "--steps",
            "1",
            "--limit",
            limit.toString());

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(Files.readString(results));
    assertThat(json.get("model").asText()).isEqualTo(model);
    assertThat(json.get("limit_file").asText()).isEqualTo(limit.toString());
    assertThat(json.get("limit_rounds_ms")).hasSize(2);
    assertThat(json.get("limit_ms_per_step").asDouble()).isPositive();
    assertThat(json.get("overhead_pct").isNumber()).isTrue();
    // the same first-step loss both ways, to float32 rounding
    assertThat(json.get("limit_loss_deviation").asDouble()).isBetween(0.0, 1e-5);
    assertThat(json.get("live_arrays_growth").asLong()).isZero();
  }

  @Test
  void benchQueue_measuresServesPersistentQueue_withProductionCapsAndARaisedFloodCap(
      @TempDir Path dir) throws Exception {
    Path results = dir.resolve("bench/results/queue.json");

    Outcome run =
        run(
            "bench",
            "queue",
            "--users",
            "10",
            "--jobs-per-user",
            "2",
            "--flood",
            "300",
            "--rounds",
            "1",
            "--out",
            results.toString());

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("database").asText()).isEqualTo("h2-file");
    assertThat(json.get("producers").asInt()).isEqualTo(8);
    // serve's caps: 500 queued, 100 per user in the queue, the guild's 3 per user on each offer.
    JsonNode production = json.get("production");
    assertThat(production.get("max_queued").asInt()).isEqualTo(500);
    assertThat(production.get("queue_user_cap").asInt()).isEqualTo(100);
    assertThat(production.get("flooder_cap").asInt()).isEqualTo(3);
    assertThat(production.get("offers").asInt()).isEqualTo(320);
    assertThat(production.get("refused").asInt()).isGreaterThan(250);
    assertThat(production.get("flooder_peak_queued").asInt()).isBetween(1, 3);
    assertSaneFigures(production);
    // Raised: the flooder queues the whole flood before anyone else, and ordinary users still get
    // their turn within about one round of the 11 users per job, not behind the flood.
    JsonNode raised = json.get("raised_flood_cap");
    assertThat(raised.get("flooder_cap").asInt()).isEqualTo(300);
    assertThat(raised.get("admitted").asInt()).isEqualTo(320);
    assertThat(raised.get("refused").asInt()).isZero();
    assertThat(raised.get("flooder_peak_queued").asInt()).isGreaterThan(150);
    assertThat(raised.get("max_first_job_wait_positions_normal_users").asInt()).isLessThan(40);
    assertSaneFigures(raised);
    assertThat(json.get("in_memory_admissions_per_sec").asDouble()).isPositive();
    assertThat(Files.readString(results).strip()).isEqualTo(run.out().strip());
  }

  @Test
  void benchQueue_onRedis_printsTheLocalFields_andRemovesItsKeys() throws Exception {
    try (TestRedis redis = TestRedis.local()) {
      String[] load = {
        "bench", "queue", "--users", "10", "--jobs-per-user", "2", "--flood", "300", "--rounds", "1"
      };
      Outcome local = run(load);
      Outcome shared =
          run(
              concat(
                  load,
                  "--backend",
                  "redis",
                  "--redis",
                  redis.url(),
                  "--redis-prefix",
                  redis.prefix()));

      assertThat(local.code()).as(local.err()).isZero();
      assertThat(shared.code()).as(shared.err()).isZero();
      ObjectMapper mapper = new ObjectMapper();
      JsonNode localJson = mapper.readTree(local.out());
      JsonNode json = mapper.readTree(shared.out());
      assertThat(localJson.get("backend").asText()).isEqualTo("local");
      assertThat(json.get("backend").asText()).isEqualTo("redis");
      assertThat(json.get("database").asText()).isEqualTo("h2-file");
      assertThat(fieldPaths(json)).isEqualTo(fieldPaths(localJson));
      assertThat(keysUnder(redis.url(), redis.prefix())).as("the run's keys are removed").isZero();
      // The same fairness as the local queue: serve's caps hold across the shared queue, and behind
      // 280+ flood jobs an ordinary user's first job waits about one round of the 11 users.
      JsonNode production = json.get("production");
      assertThat(production.get("offers").asInt()).isEqualTo(320);
      assertThat(production.get("refused").asInt()).isGreaterThan(250);
      assertThat(production.get("flooder_peak_queued").asInt()).isBetween(1, 3);
      assertSaneFigures(production);
      JsonNode raised = json.get("raised_flood_cap");
      assertThat(raised.get("admitted").asInt()).isEqualTo(320);
      assertThat(raised.get("refused").asInt()).isZero();
      assertThat(raised.get("flooder_peak_queued").asInt()).isGreaterThan(150);
      assertThat(raised.get("max_first_job_wait_positions_normal_users").asInt()).isLessThan(40);
      assertSaneFigures(raised);
      assertThat(json.get("in_memory_admissions_per_sec").asDouble()).isPositive();
    }
  }

  @Test
  void benchQueue_onRedis_refusesAPrefixThatHoldsKeys_andLeavesThemAlone() {
    try (TestRedis redis = TestRedis.local()) {
      RedisClient client = RedisClient.create(redis.url());
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        c.sync().set(redis.prefix() + "mine", "1");
        Outcome run =
            run(
                "bench",
                "queue",
                "--backend",
                "redis",
                "--redis",
                redis.url(),
                "--redis-prefix",
                redis.prefix());

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
            .contains("--redis-prefix " + redis.prefix() + " already has keys in Redis");
        assertThat(c.sync().get(redis.prefix() + "mine")).isEqualTo("1");
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void benchQueue_unreachableRedis_isAnEnvironmentError_inOneLine() {
    Outcome run =
        run("bench", "queue", "--backend", "redis", "--redis", "redis://:s3cret@127.0.0.1:1/0");

    assertThat(run.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run.err().strip())
        .startsWith("error: cannot reach Redis at redis://***@127.0.0.1:1/0")
        .doesNotContain("s3cret");
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void benchFaults_badOptions_areUsageErrors_beforeAnythingStarts() {
    Outcome platform = run("bench", "faults", "--platform", "irc");
    Outcome clusterWithoutPostgres = run("bench", "faults", "--cluster");
    Outcome clusterOnH2 = run("bench", "faults", "--cluster", "--database", "jdbc:h2:mem:x");
    Outcome clusterOnSlack =
        run(
            "bench",
            "faults",
            "--cluster",
            "--platform",
            "slack",
            "--database",
            "jdbc:postgresql://127.0.0.1/test");

    assertThat(platform.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(platform.err()).contains("--platform must be discord or slack, got 'irc'");
    for (Outcome cluster : List.of(clusterWithoutPostgres, clusterOnH2)) {
      assertThat(cluster.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(cluster.err())
          .contains("bench faults --cluster needs --database jdbc:postgresql://");
    }
    assertThat(clusterOnSlack.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(clusterOnSlack.err()).contains("--cluster drives the bot through Discord only");
  }

  @Test
  void benchQueue_badBackendOptions_areUsageErrors() {
    Outcome backend = run("bench", "queue", "--backend", "memcached");
    Outcome redisWithLocal = run("bench", "queue", "--redis", "redis://127.0.0.1:6379/0");
    Outcome notRedis = run("bench", "queue", "--backend", "redis", "--redis", "http://x");
    Outcome pattern = run("bench", "queue", "--backend", "redis", "--redis-prefix", "*");

    assertThat(backend.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(backend.err()).contains("--backend must be local or redis, got 'memcached'");
    assertThat(redisWithLocal.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(redisWithLocal.err()).contains("--redis and --redis-prefix need --backend redis");
    assertThat(notRedis.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notRedis.err()).contains("--redis must be a redis:// URL");
    assertThat(pattern.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(pattern.err()).contains("--redis-prefix must be 1 to 64 letters");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  /** Every field's path, e.g. {@code production.admitted}. */
  private static Set<String> fieldPaths(JsonNode json) {
    Set<String> paths = new TreeSet<>();
    json.fields()
        .forEachRemaining(
            field -> {
              paths.add(field.getKey());
              if (field.getValue().isObject()) {
                fieldPaths(field.getValue()).forEach(p -> paths.add(field.getKey() + "." + p));
              }
            });
    return paths;
  }

  private static long keysUnder(String url, String prefix) {
    RedisClient client = RedisClient.create(url);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      long count = 0;
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page =
            c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
        count += page.getKeys().size();
        cursor = page;
      } while (!cursor.isFinished());
      return count;
    } finally {
      client.shutdown();
    }
  }

  private static void assertSaneFigures(JsonNode variant) {
    assertThat(variant.get("admissions_per_sec").asDouble()).isPositive();
    assertThat(variant.get("p99_admit_us").asDouble()).isPositive();
    assertThat(variant.get("admitted").asInt() + variant.get("refused").asInt())
        .isEqualTo(variant.get("offers").asInt());
    assertThat(variant.get("p99_wait_positions_normal_users").asInt())
        .isBetween(0, variant.get("max_wait_positions_normal_users").asInt());
    assertThat(variant.get("max_wait_positions_normal_users").asInt()).isLessThan(80);
    assertThat(variant.get("contested_takes").asInt()).isPositive();
    assertThat(variant.get("jain_contested_takes").asDouble()).isBetween(0.5, 1.0);
  }

  @Test
  void benchQueue_onPostgresql_usesAThrowawaySchemaAndDropsIt() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    Outcome run =
        run(
            "bench",
            "queue",
            "--users",
            "5",
            "--jobs-per-user",
            "2",
            "--flood",
            "100",
            "--rounds",
            "1",
            "--producers",
            "4",
            "--database",
            url);

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("database").asText()).isEqualTo("postgresql");
    assertThat(json.get("raised_flood_cap").get("admitted").asInt()).isEqualTo(110);
    assertThat(run.out()).doesNotContain("currentSchema").doesNotContain("jdbc:");
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'bench\\_%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void benchQueue_unreachableOrUnsupportedDatabase_saysWhatToFix() {
    Outcome unreachable =
        run(
            "bench",
            "queue",
            "--database",
            "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=s3cret");
    Outcome unsupported = run("bench", "queue", "--database", "jdbc:mysql://127.0.0.1/test");

    assertThat(unreachable.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(unreachable.err())
        .contains("cannot create a throwaway schema in the --database")
        .contains("check that the database runs")
        .doesNotContain("s3cret");
    assertThat(unsupported.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unsupported.err()).contains("--database must be a PostgreSQL or H2 JDBC URL");
  }

  @Test
  void benchQueue_zeroRounds_isAUsageError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

    int code =
        Main.run(new String[] {"bench", "queue", "--rounds", "0"}, Map.of(), stream, stream, false);

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--rounds must be at least 1, got 0");
  }

  @Test
  void benchFuzz_quick_answersEveryCaseClearly_andStoresOnlyTheAdmittedJobs(@TempDir Path dir)
      throws Exception {
    Path results = dir.resolve("bench/results/fuzz.json");

    Outcome run = run("bench", "fuzz", "--quick", "--seed", "1", "--out", results.toString());

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("fuzz: seed 1, 500 cases (repeat with --seed 1)");
    String last = lines.get(lines.size() - 1);
    assertThat(last).startsWith("{\"cases\":500,\"uncaught\":0,\"unanswered\":0,\"seed\":1,");
    JsonNode json = new ObjectMapper().readTree(last);
    assertThat(json.get("persisted_wrongly").asInt()).isZero();
    assertThat(json.get("database").asText()).isEqualTo("h2-file");
    assertThat(json.get("queued").asInt()).isPositive();
    assertThat(json.get("refused").asInt()).isPositive();
    assertThat(
            json.get("queued").asInt() + json.get("cached").asInt() + json.get("refused").asInt())
        .isEqualTo(500);
    assertThat(json.get("persisted").get("jobs").asInt())
        .isEqualTo(json.get("queued").asInt() - json.get("joined").asInt());
    assertThat(json.get("kinds").size()).isEqualTo(12);
    assertThat(Files.readString(results)).isEqualTo(last + "\n");
  }

  @Test
  void benchFuzz_onPostgresql_storesEveryAdmittedRequestAsItWasQueued() throws Exception {
    // Before prompts with unpaired surrogates were refused, PostgreSQL stored them as '?': this
    // seed's quick run had 7 jobs that would come back from the store as other requests.
    String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    Outcome run = run("bench", "fuzz", "--quick", "--seed", "1", "--database", url);

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(json.get("database").asText()).isEqualTo("postgresql");
    assertThat(json.get("uncaught").asInt()).isZero();
    assertThat(json.get("unanswered").asInt()).isZero();
    assertThat(json.get("persisted_wrongly").asInt()).isZero();
    assertThat(json.get("persisted").get("stored_requests_differing").asInt()).isZero();
    assertThat(run.out()).doesNotContain("jdbc:");
  }

  @Test
  void benchStrategies_reportsEachRunsWallTime_whetherTheyWereEqual_andTheJudge() throws Exception {
    Outcome run =
        run(
            "bench",
            "strategies",
            "--seconds",
            "0.3",
            "--seeds",
            "2",
            "--set",
            "engine.cutouts=2",
            "--judge",
            "tiny-clip-judge",
            "--strategies",
            "adam,search");

    assertThat(run.code()).as(run.err()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().strip().split("\n")) {
      lines.add(mapper.readTree(line));
    }
    assertThat(lines).hasSize(3);
    double fastest = Double.MAX_VALUE;
    double slowest = 0;
    for (JsonNode line : lines.subList(0, 2)) {
      assertThat(line.get("judge").asText()).isEqualTo("tiny-clip-judge");
      assertThat(line.get("self_judged").asBoolean()).isFalse();
      assertThat(line.get("run_seconds")).hasSize(2);
      double seconds = line.get("mean_run_seconds").asDouble();
      double first = line.get("run_seconds").get(0).asDouble();
      double second = line.get("run_seconds").get(1).asDouble();
      assertThat(seconds).isPositive().isCloseTo((first + second) / 2, within(0.001));
      fastest = Math.min(fastest, Math.min(first, second));
      slowest = Math.max(slowest, Math.max(first, second));
    }
    assertThat(lines.subList(0, 2))
        .extracting(l -> l.get("strategy").asText())
        .containsExactly("adam", "search");
    JsonNode summary = lines.get(2);
    assertThat(summary.get("summary").asBoolean()).isTrue();
    assertThat(summary.get("mean_run_seconds").get("search").asDouble())
        .isEqualTo(lines.get(1).get("mean_run_seconds").asDouble());
    double spread = summary.get("time_spread").asDouble();
    // The lines round seconds to milliseconds; a fast run's rounding moves the ratio a little.
    double expected = slowest / fastest - 1;
    assertThat(spread).isCloseTo(expected, within(Math.max(0.02, 0.05 * expected)));
    assertThat(summary.get("equal_time").asBoolean()).isEqualTo(spread <= 0.10);
  }

  @Test
  void benchStrategies_withoutJudge_saysTheScoreIsSelfJudged_andAJudgeMustBeAClipModel()
      throws Exception {
    Outcome self =
        run(
            "bench",
            "strategies",
            "--seconds",
            "0.1",
            "--seeds",
            "1",
            "--set",
            "engine.cutouts=2",
            "--strategies",
            "search");
    Outcome notClip = run("bench", "strategies", "--judge", "tiny-stylegan");

    assertThat(self.code()).as(self.err()).isZero();
    for (String line : self.out().strip().split("\n")) {
      JsonNode json = new ObjectMapper().readTree(line);
      assertThat(json.get("judge").asText()).isEqualTo("self");
      assertThat(json.get("self_judged").asBoolean()).isTrue();
    }
    assertThat(notClip.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notClip.err())
        .contains("--judge must name a CLIP model of the manifest, got 'tiny-stylegan'")
        .contains("CLIP models: tiny-clip, tiny-clip-judge");
  }
}
