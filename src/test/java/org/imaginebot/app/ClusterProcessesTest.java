package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.imaginebot.bench.WorkerProcesses;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.Requester;
import org.imaginebot.bot.Submission;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.cluster.TestRedis;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.engine.Progress;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker JVMs ({@code serve --role worker}, real processes on the tiny models) and a bot node
 * in this JVM, on the real Redis and PostgreSQL. One worker is killed (SIGKILL) in the middle of a
 * job: every job still completes, each exactly once.
 */
class ClusterProcessesTest {

  private static final Duration LEASE = Duration.ofSeconds(3);

  @TempDir Path dir;
  private TestRedis redis;
  private TestDatabase database;
  private WorkerProcesses workers;
  private RedisClient client;
  private RedisCommands<String, String> commands;

  @BeforeEach
  void setUp() {
    redis = TestRedis.local();
    database = TestDatabase.postgres();
    client = RedisClient.create(redis.url());
    StatefulRedisConnection<String, String> connection = client.connect();
    commands = connection.sync();
    workers = new WorkerProcesses(Main.class.getName(), dir);
  }

  @AfterEach
  void tearDown() throws IOException {
    workers.close();
    System.out.println(workers.describe(15));
    client.shutdown();
    database.close();
    redis.close();
  }

  private Map<String, String> settings(String node) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("queue.database", database.url());
    s.put("redis.url", redis.url());
    s.put("redis.keyPrefix", redis.prefix());
    s.put("redis.nodeId", node);
    s.put("worker.leaseTimeout", LEASE.toString());
    s.put("server.port", "0");
    s.put("engine.cutouts", "8");
    s.put("cache.diskDir", dir.resolve(node + "-cache").toString());
    return s;
  }

  private Process startWorker(String node) throws IOException {
    return workers.start(node, null, settings(node));
  }

  /**
   * Waits until every node has announced itself in the {@code workers} set; fails at once, with the
   * nodes' own logs, when a worker process exits instead (or none shows up in time).
   */
  private void awaitRegistered(String... nodes) {
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .failFast("a worker process exited", workers::anyExited)
          .until(
              () -> {
                List<String> members = commands.zrange(redis.prefix() + "workers", 0, -1);
                return List.of(nodes).stream()
                    .allMatch(n -> members.stream().anyMatch(m -> m.startsWith(n + "/")));
              });
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError(e.getMessage() + "\n" + workers.describe(40), e);
    }
  }

  private static GenerationRequest request(String prompt, long seed) {
    return new GenerationRequest(
        List.of(new WeightedPrompt(prompt, 1.0)), "tiny", Strategy.ADAM, 40, seed);
  }

  /** What one requester hears. */
  private static final class Heard implements JobListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<String> end = new CompletableFuture<>();

    @Override
    public void started() {
      events.add("started");
      started.complete(null);
    }

    @Override
    public void progress(Progress progress) {
      events.add("step " + progress.step());
    }

    @Override
    public void finished(CachedImage image, boolean cached) {
      events.add("finished");
      end.complete("finished");
    }

    @Override
    public void failed(String message) {
      events.add("failed: " + message);
      end.complete("failed");
    }

    @Override
    public void cancelled() {
      events.add("cancelled");
      end.complete("cancelled");
    }
  }

  @Test
  void aWorkerKilledMidJobLosesNoJobAndNoneRunsTwiceToTheUser() throws Exception {
    startWorker("w1");
    startWorker("w2");
    awaitRegistered("w1", "w2");

    AppConfig config =
        ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), settings("bot"));
    try (BotApplication bot = BotApplication.open(config, Role.BOT).startWorkers()) {
      Map<String, Heard> heard = new HashMap<>();
      Map<String, String> jobs = new HashMap<>();
      for (String user : List.of("ann", "ben", "cat")) {
        Heard h = new Heard();
        Submission s =
            bot.imagine()
                .submit(
                    new Requester(user, "guild", "chan", "cli"),
                    request("a lighthouse for " + user, user.hashCode()),
                    h);
        assertThat(s).isInstanceOf(Submission.Queued.class);
        heard.put(user, h);
        jobs.put(user, ((Submission.Queued) s).jobId().value());
      }
      heard.get("ann").started.get(90, TimeUnit.SECONDS);
      String annJob = redis.prefix() + "job:" + jobs.get("ann");
      // Kill its worker outright a few steps into the run.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> heard.get("ann").events.contains("step 3"));
      String victim = commands.hget(annJob, "worker");
      assertThat(victim).isIn("w1", "w2");
      long killedAt = System.nanoTime();
      workers.kill(victim);
      await()
          .atMost(LEASE.plusSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !victim.equals(commands.hget(annJob, "worker")));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
      System.out.printf(
          "job %s taken over %d ms after its worker was killed (lease %s)%n",
          jobs.get("ann"), takeover.toMillis(), LEASE);

      for (String user : heard.keySet()) {
        assertThat(heard.get(user).end.get(180, TimeUnit.SECONDS)).as(user).isEqualTo("finished");
      }
      assertThat(takeover).isLessThanOrEqualTo(LEASE.plusSeconds(5));
      for (Heard h : heard.values()) {
        assertThat(h.events.stream().filter(e -> e.equals("finished"))).hasSize(1);
        assertThat(h.events).noneMatch(e -> e.startsWith("failed"));
      }
      assertThat(database.query("SELECT state FROM jobs ORDER BY seq"))
          .containsExactly("DONE", "DONE", "DONE");
    }
  }
}
