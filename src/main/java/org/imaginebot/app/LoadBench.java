package org.imaginebot.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.imaginebot.bench.ChatLoad;
import org.imaginebot.bench.LoadDriver;
import org.imaginebot.bench.LoadFigures;
import org.imaginebot.bench.LoadRecord;
import org.imaginebot.bench.LoadRecord.Answer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench load}: {@code /imagine} commands from many users through the real JDA against the
 * fake Discord, or the real Bolt app against the fake Slack, on the configured engine (see {@link
 * LoadDriver}, {@link LoadFigures}).
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole bot (serve --role all: core, worker, the real JDA) against a fake Discord that answers 429",
      "past 5 edits of one message in 5 s, and sends it /imagine interactions from many users: a few flood, the",
      "others ask once while they do, and a share of the commands repeat a finished request (a cache hit).",
      "--platform slack: the real Bolt app (HTTP mode) against the fake Slack, signed slash commands; the edits",
      "counted are chat.update calls of one message.",
      "First an idle baseline in the same run: a few commands one at a time on the quiet bot. Prints progress, then",
      "one JSON line: ack and cache-hit latencies, the most edits of one message in 5 s, the 429s the fake sent,",
      "jobs lost (admitted, no final message) and duplicated, and the waits of the users who asked once.",
      "Exit 1 when a promise breaks: a job lost or duplicated, a 429, more than 5 edits in 5 s, a repeat not served",
      "from the cache, an uncaught exception."
    })
final class LoadBench implements Callable<Integer> {

  /** The promise on edits: at most this many of one message in any 5 s. */
  static final int MAX_EDITS_PER_5S = 5;

  @Option(
      names = "--commands",
      defaultValue = "1000",
      description = "Interactions to send (default: ${DEFAULT-VALUE}).")
  int commands;

  @Option(
      names = "--users",
      defaultValue = "100",
      description = "Users who send them (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--flooders",
      defaultValue = "0.2",
      description = "Share of the users who flood (default: ${DEFAULT-VALUE}).")
  double floodShare;

  @Option(
      names = "--repeats",
      defaultValue = "0.333",
      description =
          "Share of the commands that repeat a finished request (default: ${DEFAULT-VALUE}).")
  double repeatShare;

  @Option(
      names = "--steps",
      defaultValue = "2",
      description = "Steps of each fresh request (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--cutouts",
      defaultValue = "4",
      description =
          "engine.cutouts of each job (default: ${DEFAULT-VALUE}; few, as this measures the bot around the engine).")
  int cutouts;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "Interactions per second (default: ${DEFAULT-VALUE}).")
  double perSecond;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the command order (default: ${DEFAULT-VALUE}).")
  long seed;

  /** Interactions and users of {@code --quick}, which the build runs. */
  static final int QUICK_COMMANDS = 100;

  static final int QUICK_USERS = 20;

  @Option(
      names = "--quick",
      description =
          "A short run: " + QUICK_COMMANDS + " interactions from " + QUICK_USERS + " users.")
  boolean quick;

  @Option(
      names = "--database",
      paramLabel = "JDBC_URL",
      description =
          "PostgreSQL (or H2) database for the bot's tables in a throwaway schema, dropped afterwards; default: a fresh H2 file in a temporary directory, deleted afterwards.")
  String database;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Where the JSON line is written too (default: bench/results/load.json, with --platform slack"
              + " bench/results/load-slack.json).")
  Path outFile;

  @Option(
      names = "--platform",
      defaultValue = "discord",
      description =
          "discord (default): the real JDA against the fake Discord; slack: the real Bolt app"
              + " (HTTP mode, signed slash commands) against the fake Slack.")
  String platform;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  /** Idle baseline: fresh commands, one at a time, each then repeated once. */
  private static final int IDLE_COMMANDS = 5;

  /** No final message for this long: the jobs still waiting for one are lost. */
  private static final Duration STALL = Duration.ofSeconds(60);

  @Override
  public Integer call() throws IOException, InterruptedException {
    BenchPlatform on;
    try {
      on = BenchPlatform.of(platform);
    } catch (IllegalArgumentException e) {
      parent.spec.commandLine().getErr().println(e.getMessage());
      return ExitCodes.USAGE;
    }
    ChatLoad load =
        new ChatLoad(
            quick ? QUICK_COMMANDS : commands,
            quick ? QUICK_USERS : users,
            floodShare,
            repeatShare,
            steps,
            perSecond,
            seed);
    PrintWriter out = parent.spec.commandLine().getOut();
    Map<String, String> settings = Map.of("engine.cutouts", Integer.toString(cutouts));
    ObjectNode json =
        run(
            on,
            load,
            database,
            settings,
            configOptions,
            line -> {
              out.println(line);
              out.flush();
            });
    BenchJobs.emit(out, json.toString(), outFile != null ? outFile : defaultOut(on));
    return promisesKept(json) ? ExitCodes.OK : ExitCodes.INTERNAL;
  }

  /** Discord keeps load.json, as before there was a Slack run. */
  static Path defaultOut(BenchPlatform on) {
    return Path.of("bench/results", on == BenchPlatform.DISCORD ? "load.json" : "load-slack.json");
  }

  /** Runs {@code load} on a fresh bot on {@code platform} and returns the result's JSON. */
  static ObjectNode run(
      BenchPlatform platform,
      ChatLoad load,
      String database,
      Map<String, String> settings,
      ConfigOptions options,
      Consumer<String> log)
      throws IOException, InterruptedException {
    try (BenchBot bot = platform.start(database, settings, options)) {
      LoadDriver driver = bot.loadDriver(STALL, log);
      List<LoadRecord> idle = driver.idle(IDLE_COMMANDS, load.steps(), load.users());
      log.accept("load: idle baseline done; sending " + load.commands() + " commands");
      List<LoadRecord> records = driver.run(load);
      ObjectNode json = driver.figures(records);
      ObjectNode head =
          json.objectNode()
              .put("benchmark", "load")
              .put("platform", platform.id())
              .put("client", platform.client());
      head.put("users", load.users());
      head.put("flooders", load.flooders());
      head.put("steps", load.steps());
      head.put("cutouts", bot.config().engine().cutouts());
      head.put("cpu_kernels", bot.config().engine().cpuKernels());
      head.put("per_second", load.perSecond());
      head.put("database", bot.databaseKind());
      double idleAck = idleMillis(idle, Answer.ADMITTED, LoadRecord::ackMillis);
      double idleHit = idleMillis(idle, Answer.CACHED, LoadRecord::replyMillis);
      head.put("idle_ack_p50_ms", idleAck);
      head.put("idle_cache_hit_p50_ms", idleHit);
      head.put(
          "idle_job_p50_s",
          Math.round(
                  LoadFigures.percentile(
                          idle.stream()
                              .filter(
                                  r -> r.answer() == Answer.ADMITTED && !r.finalNanos().isEmpty())
                              .mapToDouble(LoadRecord::waitSeconds)
                              .toArray(),
                          50)
                      * 1000)
              / 1000.0);
      head.setAll(json);
      head.put(
          "ack_p99_vs_idle_p50",
          Math.round(json.get("ack_p99_ms").asDouble() / idleAck * 100) / 100.0);
      head.put(
          "cache_hit_p99_vs_idle_p50",
          Math.round(json.get("cache_hit_reply_p99_ms").asDouble() / idleHit * 100) / 100.0);
      head.put("uncaught", bot.uncaught());
      return head;
    }
  }

  private static double idleMillis(
      List<LoadRecord> idle, Answer answer, ToDoubleFunction<LoadRecord> millisOf) {
    double[] millis =
        idle.stream().filter(r -> r.answer() == answer).mapToDouble(millisOf).toArray();
    return Math.round(LoadFigures.percentile(millis, 50) * 1000) / 1000.0;
  }

  /**
   * Whether the run kept every promise: no job lost or duplicated, no 429, every command answered,
   * every repeat from the cache, at most {@link #MAX_EDITS_PER_5S} edits of one message in 5 s, no
   * uncaught exception (the cache-hit goal is a goal, not checked here).
   */
  static boolean promisesKept(ObjectNode json) {
    return json.get("lost").asLong() == 0
        && json.get("duplicated").asLong() == 0
        && json.get("http_429").asLong() == 0
        && json.get("unanswered").asLong() == 0
        && json.get("repeats_not_cached").asLong() == 0
        && json.get("max_edits_per_5s").asInt() <= MAX_EDITS_PER_5S
        && json.get("uncaught").asInt() == 0;
  }
}
