package org.imaginebot.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.bench.BenchDatabase;
import org.imaginebot.bench.QueueBackend;
import org.imaginebot.bench.QueueBenchmark;
import org.imaginebot.bench.QueueLoad;
import org.imaginebot.bench.StrategyBenchmark;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.engine.djl.EngineStepBench;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;
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

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

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
      description = {
        "Times our adam step against its limit in the same process: one TorchScript module that does the",
        "step's computation (generator, the same cutouts, CLIP on all crops at once, loss, gradients) in one",
        "libtorch call, made by scripts/export/bench_limit.py. Interleaved rounds of --steps steps after one",
        "untimed step each way; medians. Prints one JSON line (ms per step both ways, overhead_pct, our",
        "step's phases) and writes it to --out. overhead_pct: the median of the rounds' ratios. Without a",
        "limit module only our step is timed."
      })
  static final class EngineBench implements Callable<Integer> {

    @Option(
        names = "--model",
        defaultValue = "tiny",
        description = "BigGAN or StyleGAN model id of the manifest (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
        names = "--steps",
        defaultValue = "3",
        description = "Timed steps per round and way (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
        names = "--rounds",
        defaultValue = "3",
        description = "Interleaved rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--limit",
        paramLabel = "FILE",
        description =
            "The limit module (default: limit-step.pt beside the model's generator file; 'none' times our step alone).")
    String limit;

    @Option(
        names = "--out",
        defaultValue = "bench/results/engine.json",
        paramLabel = "FILE",
        description = "Where the JSON result is written (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin ConfigOptions configOptions;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Override
    public Integer call() throws IOException {
      EngineConfig engineConfig = configOptions.load(System.getenv(), Map.of()).engine();
      ModelManifest manifest =
          ModelManifest.load(engineConfig.manifest(), engineConfig.modelsDir());
      Path limitFile = limitFile(manifest);
      EngineStepBench.Result result;
      try (DjlEngine engine = new DjlEngine(engineConfig, manifest)) {
        result =
            EngineStepBench.run(
                engine,
                model,
                limitFile,
                rounds,
                steps,
                System::nanoTime,
                EngineBench::processCpuNanos);
      }
      String line = json(result, limitFile);
      Path parentDir = out.toAbsolutePath().getParent();
      Files.createDirectories(parentDir);
      Files.writeString(out, line + "\n");
      parent.spec.commandLine().getOut().println(line);
      return ExitCodes.OK;
    }

    /** This process's CPU time (all threads), in ns. */
    static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    private Path limitFile(ModelManifest manifest) {
      if ("none".equals(limit)) {
        return null;
      }
      if (limit != null) {
        Path given = Path.of(limit);
        if (!Files.isRegularFile(given)) {
          throw new IllegalArgumentException("--limit " + limit + " is not a file");
        }
        return given;
      }
      ModelSpec spec = manifest.require(model);
      Path generatorFile =
          spec.optionalFile("generator").orElseGet(() -> spec.file("synthesis")).path();
      Path beside = generatorFile.resolveSibling("limit-step.pt");
      return Files.isRegularFile(beside) ? beside : null;
    }

    static String json(EngineStepBench.Result r, Path limitFile) {
      ObjectNode json = MAPPER.createObjectNode();
      json.put("bench", "engine");
      json.put("model", r.model());
      json.put("cutouts", r.cutouts());
      json.put("threads", r.threads());
      json.put("cpu_kernels", r.kernels().id());
      json.put("rounds", r.rounds());
      json.put("steps", r.steps());
      put(json, "java_ms_per_step", r.javaMsPerStep());
      put(json, "limit_ms_per_step", r.limitMsPerStep());
      put(json, "overhead_pct", r.overheadPct());
      ObjectNode phases = json.putObject("phases_ms");
      r.phasesMs().forEach((phase, ms) -> put(phases, phase, ms));
      r.javaRoundsMs().forEach(json.putArray("java_rounds_ms")::add);
      r.limitRoundsMs().forEach(json.putArray("limit_rounds_ms")::add);
      put(json, "overhead_cpu_pct", r.cpuOverheadPct());
      r.javaRoundsCpuMs().forEach(json.putArray("java_rounds_cpu_ms")::add);
      r.limitRoundsCpuMs().forEach(json.putArray("limit_rounds_cpu_ms")::add);
      // not rounded: it is small, and how small is the point
      if (Double.isNaN(r.limitLossDeviation())) {
        json.putNull("limit_loss_deviation");
      } else {
        json.put("limit_loss_deviation", r.limitLossDeviation());
      }
      json.put(
          "limit_includes", "generator, cutouts, clip, loss, backward (not adam, not preview)");
      if (limitFile == null) {
        json.putNull("limit_file");
      } else {
        json.put("limit_file", limitFile.toString());
      }
      json.put("live_arrays_growth", r.liveArraysGrowth());
      put(json, "rss_growth_mb", r.rssGrowthMb());
      return json.toString();
    }

    /** Rounded to 0.01; NaN (no limit) as null. */
    private static void put(ObjectNode json, String field, double value) {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        json.putNull(field);
      } else {
        json.put(field, Math.round(value * 100) / 100.0);
      }
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
