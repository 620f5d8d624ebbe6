package org.imaginebot.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.imaginebot.bench.ChatLoad;
import org.imaginebot.bench.ClusterFaults;
import org.imaginebot.bench.DiscordFaults;
import org.imaginebot.bench.DiscordLoad;
import org.imaginebot.bench.LoadFigures;
import org.imaginebot.bench.LoadRecord;
import org.imaginebot.bench.LoadRecord.Answer;
import org.imaginebot.bench.RedisProcess;
import org.imaginebot.bench.SlackFaults;
import org.imaginebot.bench.SlackLoad;
import org.imaginebot.bench.WorkerProcesses;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.cluster.Redis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench faults}: a load through the real JDA while the fake Discord misbehaves (see {@link
 * DiscordFaults}), with {@code --cluster} while a worker JVM is SIGKILLed and Redis restarted too
 * ({@link ClusterFaults}), or with {@code --platform slack} through the real Bolt app while the
 * fake Slack answers 429 ({@link SlackFaults}); every admitted job must reach its user exactly
 * once.
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole bot (serve --role all) against the fake Discord and sends /imagine from many users, as",
      "bench load does, while the fake answers 429 with Retry-After on reply edits and on a callback, answers",
      "500 on reply edits (any, then final ones), drops the gateway mid-run (the bot resumes) and, with a PostgreSQL",
      "--database, cuts the bot's link to it for 3 s. Prints progress, then one JSON line:",
      "jobs admitted, lost (no final message), duplicated (more than one), unanswered commands, the faults injected",
      "and the 429 and 5xx answers the fake sent. Exit 1 when a job is lost or duplicated, a command unanswered",
      "or an exception uncaught.",
      "--cluster: a bot node here, two worker JVMs and a redis-server of its own; also SIGKILLs a worker mid-job",
      "and restarts Redis empty. --platform slack: the real Bolt app against the fake Slack, which answers 429",
      "on chat.update (final messages too) and chat.postMessage."
    })
final class FaultsBench implements Callable<Integer> {

  static final int QUICK_COMMANDS = 60;
  static final int QUICK_USERS = 10;

  @Option(
      names = "--commands",
      defaultValue = "300",
      description = "Interactions to send (default: ${DEFAULT-VALUE}).")
  int commands;

  @Option(
      names = "--users",
      defaultValue = "30",
      description = "Users who send them (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "Interactions per second (default: ${DEFAULT-VALUE}).")
  double perSecond;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the command order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--quick",
      description =
          "A short run: " + QUICK_COMMANDS + " interactions from " + QUICK_USERS + " users.")
  boolean quick;

  @Option(
      names = "--database",
      paramLabel = "JDBC_URL",
      description =
          "PostgreSQL database for the bot's tables in a throwaway schema, dropped afterwards, reached through a link the run cuts for "
              + "3 s mid-run (a database outage); default: a fresh H2 file, no database outage.")
  String database;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the JSON line to FILE, e.g. bench/results/faults.json.")
  Path outFile;

  @Option(
      names = "--cluster",
      description =
          "Run a bot node here and "
              + WORKERS
              + " `serve --role worker` JVMs on a redis-server of the run's own (needs --database"
              + " PostgreSQL and redis-server on the PATH); also SIGKILLs a worker mid-job (a fresh"
              + " one replaces it) and kills Redis for 2 s (it comes back empty).")
  boolean cluster;

  @Option(
      names = "--platform",
      defaultValue = "discord",
      description =
          "discord (default): the real JDA against the fake Discord; slack: the real Bolt app"
              + " against the fake Slack, signed slash commands, 429s on chat.update and"
              + " chat.postMessage.")
  String platform;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  /** No final message for this long: the jobs still waiting for one are lost. */
  private static final Duration STALL = Duration.ofSeconds(60);

  /** Worker JVMs of a --cluster run. */
  static final int WORKERS = 2;

  /** A --cluster worker silent this long loses its job to another. */
  private static final Duration LEASE = Duration.ofSeconds(3);

  /** How long --cluster waits for its workers to start (a JVM each, loading the engine). */
  private static final Duration WORKER_START = Duration.ofMinutes(3);

  private static final int STEPS = 2;
  private static final String CUTOUTS = "4";

  @Override
  public Integer call() throws IOException, InterruptedException {
    ChatLoad load =
        new ChatLoad(
            quick ? QUICK_COMMANDS : commands,
            quick ? QUICK_USERS : users,
            0.2,
            0.2,
            STEPS,
            perSecond,
            seed);
    PrintWriter out = parent.spec.commandLine().getOut();
    if (cluster && (database == null || !database.startsWith("jdbc:postgresql:"))) {
      parent
          .spec
          .commandLine()
          .getErr()
          .println(
              "bench faults --cluster needs --database jdbc:postgresql://host/db?user=...: the bot"
                  + " node and its workers share the queue's tables in PostgreSQL");
      return ExitCodes.USAGE;
    }
    Consumer<String> log =
        line -> {
          out.println(line);
          out.flush();
        };
    boolean slack;
    try {
      slack = BenchPlatform.of(platform) == BenchPlatform.SLACK;
    } catch (IllegalArgumentException e) {
      parent.spec.commandLine().getErr().println(e.getMessage());
      return ExitCodes.USAGE;
    }
    if (slack && cluster) {
      parent
          .spec
          .commandLine()
          .getErr()
          .println("--cluster drives the bot through Discord only; leave out --platform slack");
      return ExitCodes.USAGE;
    }
    ObjectNode json =
        slack ? runSlack(load, log) : cluster ? runCluster(load, log) : runOneProcess(load, log);
    BenchJobs.emit(out, json.toString(), outFile);
    return promisesKept(json) ? ExitCodes.OK : ExitCodes.INTERNAL;
  }

  /** The whole bot in this process ({@code serve --role all}) under the Discord faults. */
  private ObjectNode runOneProcess(ChatLoad load, Consumer<String> log)
      throws IOException, InterruptedException {
    try (DiscordBenchBot bot =
        DiscordBenchBot.start(database, Map.of("engine.cutouts", CUTOUTS), configOptions)) {
      DiscordLoad driver = bot.loadDriver(STALL, log);
      driver.idle(1, STEPS, load.users()); // the engine loaded before the faults start
      DiscordFaults faults = new DiscordFaults(load.commands(), bot.databaseLink(), log);
      List<LoadRecord> records = driver.run(load, faults);
      return result(bot, records, faults.injected());
    }
  }

  /** The whole bot in this process with Slack, under the fake Slack's 429s. */
  private ObjectNode runSlack(ChatLoad load, Consumer<String> log)
      throws IOException, InterruptedException {
    try (SlackBenchBot bot =
        SlackBenchBot.start(database, Map.of("engine.cutouts", CUTOUTS), configOptions)) {
      SlackLoad driver = bot.loadDriver(STALL, log);
      driver.warmUp(STEPS); // the engine loaded before the faults start
      SlackFaults faults = new SlackFaults(load.commands(), log);
      List<LoadRecord> records = driver.run(load, faults);
      List<ApiCall> calls = bot.fake.calls();
      ObjectNode json =
          JsonNodeFactory.instance
              .objectNode()
              .put("benchmark", "faults")
              .put("platform", "slack")
              .put("commands", records.size())
              .put("jobs", records.stream().filter(r -> r.answer() == Answer.ADMITTED).count())
              .put("refused", records.stream().filter(r -> r.answer() == Answer.REFUSED).count())
              .put("unanswered", records.stream().filter(r -> r.answer() == Answer.NONE).count())
              .put("lost", LoadFigures.lost(records))
              .put("duplicated", LoadFigures.duplicated(records));
      ObjectNode injected = json.putObject("injected");
      new TreeMap<>(faults.injected()).forEach(injected::put);
      json.put("http_429_sent", calls.stream().filter(FaultsBench::limited).count());
      json.put(
          "final_messages_answered_429",
          calls.stream()
              .filter(c -> limited(c) && c.param("text") != null && c.param("text").startsWith("✅"))
              .count());
      json.put("database", bot.databaseKind());
      json.put("uncaught", bot.uncaught());
      return json;
    }
  }

  private static boolean limited(ApiCall call) {
    return "429".equals(call.param("fake_answer"));
  }

  /**
   * A bot node in this process and {@link #WORKERS} worker JVMs on a Redis of the run's own, under
   * the Discord faults and the cluster's ({@link ClusterFaults}).
   */
  private ObjectNode runCluster(ChatLoad load, Consumer<String> log)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("imagine-bench-cluster");
    try (RedisProcess redisServer = RedisProcess.start(dir);
        WorkerProcesses workers = new WorkerProcesses(Main.class.getName(), dir)) {
      Map<String, String> shared = new LinkedHashMap<>();
      shared.put("engine.cutouts", CUTOUTS);
      shared.put("queue.backend", "redis");
      shared.put("redis.url", redisServer.url());
      shared.put("worker.leaseTimeout", LEASE.toString());
      Map<String, String> botSettings = new LinkedHashMap<>(shared);
      botSettings.put("redis.nodeId", "bot");
      try (DiscordBenchBot bot =
          DiscordBenchBot.start(database, botSettings, configOptions, Role.BOT)) {
        ClusterFaults.WorkerStarter starter =
            node -> {
              Map<String, String> settings = new LinkedHashMap<>(configOptions.overrides);
              settings.putAll(shared);
              settings.put("queue.database", bot.databaseUrl());
              settings.put("redis.nodeId", node);
              settings.put("server.port", "0");
              settings.put("cache.diskDir", bot.cacheDir().toString()); // one volume, as in compose
              workers.start(node, configOptions.config, settings);
            };
        List<String> nodes = new ArrayList<>();
        for (int n = 1; n <= WORKERS; n++) {
          nodes.add("w" + n);
          starter.start("w" + n);
        }
        awaitRegistered(bot, workers, nodes, log);
        log.accept("faults: " + nodes + " registered");
        DiscordLoad driver = bot.loadDriver(STALL, log);
        driver.idle(1, STEPS, load.users()); // a worker's engine loaded before the faults start
        DiscordFaults discordFaults = new DiscordFaults(load.commands(), bot.databaseLink(), log);
        ClusterFaults clusterFaults =
            new ClusterFaults(
                load.commands(), bot.app.redis().orElseThrow(), redisServer, workers, starter, log);
        List<LoadRecord> records =
            driver.run(
                load,
                (index, fake) -> {
                  discordFaults.before(index, fake);
                  clusterFaults.before(index, fake);
                });
        Map<String, Integer> injected = new TreeMap<>(discordFaults.injected());
        injected.putAll(clusterFaults.injected());
        ObjectNode json = result(bot, records, injected);
        json.put("topology", "1 bot node + " + WORKERS + " worker JVMs, redis");
        return json;
      }
    } finally {
      BenchJobs.deleteTree(dir);
    }
  }

  /** Waits until each worker node announced itself; fails at once when one exits instead. */
  private static void awaitRegistered(
      DiscordBenchBot bot, WorkerProcesses workers, List<String> nodes, Consumer<String> log)
      throws InterruptedException {
    Redis redis = bot.app.redis().orElseThrow();
    long deadline = System.nanoTime() + WORKER_START.toNanos();
    while (true) {
      List<String> members = redis.commands().zrange(redis.key("workers"), 0, -1);
      if (nodes.stream().allMatch(n -> members.stream().anyMatch(m -> m.startsWith(n + "/")))) {
        return;
      }
      if (workers.anyExited() || System.nanoTime() > deadline) {
        log.accept(workers.describe(40)); // the error itself is printed as one line
        throw new IllegalStateException(
            "the workers did not all start within "
                + WORKER_START
                + " (their logs are printed above)");
      }
      Thread.sleep(200);
    }
  }

  /** The promises' figures and what was injected, from the fake Discord's recorded calls. */
  private static ObjectNode result(
      DiscordBenchBot bot, List<LoadRecord> records, Map<String, Integer> injectedFaults) {
    List<RestCall> calls = bot.fake.calls();
    ObjectNode figures = LoadFigures.of(records, calls);
    ObjectNode json = figures.objectNode().put("benchmark", "faults").put("platform", "discord");
    for (String field :
        List.of("commands", "jobs", "cache_hits", "refused", "unanswered", "lost", "duplicated")) {
      json.set(field, figures.get(field));
    }
    ObjectNode injected = json.putObject("injected");
    new TreeMap<>(injectedFaults).forEach(injected::put);
    json.put("http_429_sent", calls.stream().filter(c -> c.status() == 429).count());
    json.put("http_5xx_sent", calls.stream().filter(c -> c.status() >= 500).count());
    json.put(
        "final_edits_answered_5xx",
        calls.stream()
            .filter(
                c -> c.status() >= 500 && c.json().toString().contains(DiscordFaults.FINAL_MARK))
            .count());
    json.put("gateway_sessions_resumed", resumes(bot));
    json.put("database", bot.databaseKind());
    json.put("uncaught", bot.uncaught());
    return json;
  }

  /** RESUMEs the bot sent on the gateway: it came back on its own after the drop. */
  private static long resumes(DiscordBenchBot bot) {
    return bot.fake.gatewayFrames().stream().filter(f -> f.path("op").asInt() == 6).count();
  }

  static boolean promisesKept(ObjectNode json) {
    return json.get("lost").asLong() == 0
        && json.get("duplicated").asLong() == 0
        && json.get("unanswered").asLong() == 0
        && json.get("uncaught").asInt() == 0;
  }
}
