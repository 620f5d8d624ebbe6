package org.imaginebot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.bench.BenchDatabase;
import org.imaginebot.bench.QueueBackend;
import org.imaginebot.bench.QueueBenchmark;
import org.imaginebot.bench.QueueLoad;
import org.imaginebot.bench.StrategyBenchmark;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench engine|queue|strategies|jobs|fuzz|soak|load|faults|quality|sheet}: built-in
 * benchmarks, printing JSON lines; {@code bench report} draws their results.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Built-in benchmarks; each prints one JSON line.",
    subcommands = {
      BenchCommand.EngineBench.class,
      BenchCommand.QueueBench.class,
      BenchCommand.StrategiesBench.class,
      JobsBench.class,
      FuzzBench.class,
      SoakBench.class,
      LoadBench.class,
      FaultsBench.class,
      QualityBench.class,
      SheetBench.class,
      ReportBench.class
    })
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The engine the config describes, on its manifest's models. */
  static DjlEngine engine(EngineConfig config) {
    return new DjlEngine(config, ModelManifest.load(config.manifest(), config.modelsDir()));
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "name a benchmark: engine, queue, strategies, jobs, fuzz, soak, load, faults, quality,"
            + " sheet or report");
  }

  @Command(
      name = "engine",
      mixinStandardHelpOptions = true,
      description = "Times the engine's steps after a warm-up run (model loading excluded).")
  static final class EngineBench implements Callable<Integer> {

    @Option(
        names = "--model",
        defaultValue = "tiny",
        description = "Model id (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
        names = "--strategy",
        defaultValue = "adam",
        description = "adam, search or auto (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(
        names = "--steps",
        defaultValue = "30",
        description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin ConfigOptions configOptions;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Override
    public Integer call() {
      EngineConfig engineConfig = configOptions.load(System.getenv(), Map.of()).engine();
      Strategy chosen = Strategy.parse(strategy);
      List<Long> stepEnds = new ArrayList<>();
      try (Engine engine = engine(engineConfig)) {
        engine.generate(request(chosen, 3), p -> {}, new CancellationSignal());
        engine.generate(
            request(chosen, steps + 1),
            p -> stepEnds.add(System.nanoTime()),
            new CancellationSignal());
      }
      // The first timed step still allocates; time steps 2..N+1 from the end of step 1.
      double msPerStep = (stepEnds.get(steps) - stepEnds.get(0)) / 1e6 / steps;
      parent
          .spec
          .commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "{\"bench\":\"engine\",\"model\":\"%s\",\"strategy\":\"%s\",\"cutouts\":%d,\"threads\":%d,\"steps\":%d,\"ms_per_step\":%.2f}%n",
              model,
              chosen.id(),
              engineConfig.cutouts(),
              engineConfig.threads(),
              steps,
              msPerStep);
      return ExitCodes.OK;
    }

    private GenerationRequest request(Strategy chosen, int stepCount) {
      return new GenerationRequest(
          PromptParser.parse("a lighthouse in a storm | oil painting | blurry:-1"),
          model,
          chosen,
          stepCount,
          1);
    }
  }

  @Command(
      name = "queue",
      mixinStandardHelpOptions = true,
      description = {
        "Measures the persistent fair queue serve runs (H2 file by default, --database for PostgreSQL):",
        "producer threads offer while one consumer takes and finishes jobs, one user flooding, ordinary users",
        "asking for a few images each. Prints one JSON line: admissions per second, p99 admission latency,",
        "refusals, the waits ordinary users see and Jain's index over the contested takes, for serve's caps",
        "(production) and with the flooder's cap raised to the flood (raised_flood_cap); the in-memory queue",
        "under the raised load for comparison. Each variant: the median of --rounds runs after a warm-up.",
        "--backend redis measures the queue a cluster shares instead (RedisJobQueue: each job in the same database,",
        "the fair order in Redis, under a throwaway key prefix removed afterwards); the JSON has the same fields."
      })
  static final class QueueBench implements Callable<Integer> {

    static final String DEFAULT_REDIS = "redis://127.0.0.1:6379/0";

    @Option(
        names = "--users",
        defaultValue = "100",
        description = "Ordinary users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
        names = "--jobs-per-user",
        defaultValue = "3",
        description = "Jobs each ordinary user offers (default: ${DEFAULT-VALUE}).")
    int jobsPerUser;

    @Option(
        names = "--flood",
        defaultValue = "5000",
        description = "Jobs one flooding user offers (default: ${DEFAULT-VALUE}).")
    int flood;

    @Option(
        names = "--producers",
        defaultValue = "8",
        description = "Threads offering at once (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(
        names = "--rounds",
        defaultValue = "3",
        description = "Timed runs per variant; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Seed of the offer order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--database",
        paramLabel = "JDBC_URL",
        description =
            "PostgreSQL (or H2) database to measure in a throwaway schema, dropped afterwards; default: a fresh H2 file in a temporary directory, deleted afterwards.")
    String database;

    @Option(
        names = "--backend",
        defaultValue = "local",
        paramLabel = "local|redis",
        description =
            "local: the queue of one serve node; redis: the queue a cluster shares (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(
        names = "--redis",
        paramLabel = "URL",
        description = "Redis for --backend redis (default: " + DEFAULT_REDIS + ").")
    String redisUrl;

    @Option(
        names = "--redis-prefix",
        paramLabel = "PREFIX",
        description =
            "Key prefix for --backend redis, which must hold no keys; every key under it is removed afterwards (default: bench-<random>:).")
    String redisPrefix;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Also write the JSON line to FILE, e.g. bench/results/queue-h2.json.")
    Path outFile;

    @Mixin ConfigOptions configOptions;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Override
    public Integer call() throws IOException {
      AppConfig config = configOptions.load(System.getenv(), Map.of());
      QueueBenchmark.Settings settings =
          new QueueBenchmark.Settings(
              new QueueLoad(users, jobsPerUser, flood, producers, seed),
              rounds,
              config.queue(),
              config.limits().maxQueuedPerUser());
      String json;
      // Redis first: when it cannot be reached, no database was made for nothing.
      try (QueueBackend queues = backend();
          BenchDatabase db =
              database == null ? BenchDatabase.h2File() : BenchDatabase.schemaIn(database)) {
        json = QueueBenchmark.run(settings, db, queues).toString();
      }
      parent.spec.commandLine().getOut().println(json);
      if (outFile != null) {
        Path parentDir = outFile.toAbsolutePath().getParent();
        Files.createDirectories(parentDir);
        Files.writeString(outFile, json + "\n");
      }
      return ExitCodes.OK;
    }

    private QueueBackend backend() {
      switch (backend) {
        case "local" -> {
          if (redisUrl != null || redisPrefix != null) {
            throw new IllegalArgumentException("--redis and --redis-prefix need --backend redis");
          }
          return QueueBackend.local();
        }
        case "redis" -> {
          return QueueBackend.redis(redisUrl == null ? DEFAULT_REDIS : redisUrl, redisPrefix);
        }
        default ->
            throw new IllegalArgumentException(
                "--backend must be local or redis, got '" + backend + "'");
      }
    }
  }

  @Command(
      name = "strategies",
      mixinStandardHelpOptions = true,
      description = {
        "Gives each strategy about the same wall time and compares the CLIP score of the images they return",
        "(whole image, the same measure for all). Prints one JSON line per strategy (steps, each run's real wall time,",
        "scores), then a summary: mean run time per strategy and whether they are within 10 % of each other.",
        "Scores are by the generator's own CLIP (\"judge\":\"self\") unless --judge names another CLIP model."
      })
  static final class StrategiesBench implements Callable<Integer> {

    @Option(
        names = "--model",
        defaultValue = "tiny",
        description = "Model id (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
        names = "--prompt",
        defaultValue = "a lighthouse in a storm",
        description = "Prompt (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(
        names = "--seconds",
        defaultValue = "10",
        description = "Wall time per run (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--seeds",
        defaultValue = "3",
        description = "Runs per strategy, seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
        names = "--judge",
        paramLabel = "CLIP_MODEL",
        description =
            "CLIP model of the manifest that scores the images, one the strategies did not optimize against (e.g. tiny-clip-judge; ViT-B/16 judging runs guided by ViT-B/32).")
    String judge;

    @Option(
        names = "--strategies",
        split = ",",
        paramLabel = "LIST",
        defaultValue = "adam,search,auto,evolve",
        description = "Strategies to compare, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Mixin ConfigOptions configOptions;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Override
    public Integer call() {
      EngineConfig engineConfig = configOptions.load(System.getenv(), Map.of()).engine();
      StrategyBenchmark.Settings settings =
          new StrategyBenchmark.Settings(
              model,
              prompt,
              seconds,
              seeds,
              judge,
              strategies.stream().map(Strategy::parse).toList());
      ModelManifest manifest =
          ModelManifest.load(engineConfig.manifest(), engineConfig.modelsDir());
      try (DjlEngine engine = new DjlEngine(engineConfig, manifest)) {
        StrategyBenchmark.run(
            engine, manifest, settings, parent.spec.commandLine().getOut()::println);
      }
      return ExitCodes.OK;
    }
  }
}
