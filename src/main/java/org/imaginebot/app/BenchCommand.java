package org.imaginebot.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.queue.QueueBenchmark;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench engine|queue}: built-in benchmarks, each printing one JSON line. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Built-in benchmarks; each prints one JSON line.",
    subcommands = {BenchCommand.EngineBench.class, BenchCommand.QueueBench.class, BenchCommand.StrategiesBench.class})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The engine the config describes, on its manifest's models. */
  static DjlEngine engine(EngineConfig config) {
    return new DjlEngine(config, ModelManifest.load(config.manifest(), config.modelsDir()));
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark: engine, queue or strategies");
  }

  @Command(name = "engine", mixinStandardHelpOptions = true,
      description = "Times the engine's steps after a warm-up run (model loading excluded).")
  static final class EngineBench implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "tiny", description = "Model id (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--strategy", defaultValue = "adam", description = "adam, search or auto (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
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
        engine.generate(request(chosen, steps + 1), p -> stepEnds.add(System.nanoTime()), new CancellationSignal());
      }
      // The first timed step still allocates; time steps 2..N+1 from the end of step 1.
      double msPerStep = (stepEnds.get(steps) - stepEnds.get(0)) / 1e6 / steps;
      parent.spec.commandLine().getOut().printf(Locale.ROOT, "{\"bench\":\"engine\",\"model\":\"%s\",\"strategy\":\"%s\",\"cutouts\":%d,\"threads\":%d,\"steps\":%d,\"ms_per_step\":%.2f}%n",
          model, chosen.id(), engineConfig.cutouts(), engineConfig.threads(), steps, msPerStep);
      return ExitCodes.OK;
    }

    private GenerationRequest request(Strategy chosen, int stepCount) {
      return new GenerationRequest(PromptParser.parse("a lighthouse in a storm | oil painting | blurry:-1"), model, chosen, stepCount, 1);
    }
  }

  @Command(name = "queue", mixinStandardHelpOptions = true,
      description = {"Admits a flood of jobs into the in-memory fair queue and drains it.",
          "Prints admissions per second, Jain's fairness of the first jobs served and the p99 admission latency,",
          "from the median of --rounds runs (each after an untimed warm-up)."})
  static final class QueueBench implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "100", description = "Ordinary users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--jobs-per-user", defaultValue = "50", description = "Jobs each ordinary user offers (default: ${DEFAULT-VALUE}).")
    int jobsPerUser;

    @Option(names = "--flood", defaultValue = "5000", description = "Jobs one flooding user offers first (default: ${DEFAULT-VALUE}).")
    int flood;

    @Option(names = "--rounds", defaultValue = "5", description = "Timed runs; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the offer order (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Override
    public Integer call() {
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
      }
      List<QueueBenchmark.Result> results = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        results.add(QueueBenchmark.run(users, jobsPerUser, flood, seed + r));
      }
      results.sort(Comparator.comparingDouble(QueueBenchmark.Result::admissionsPerSec));
      QueueBenchmark.Result median = results.get(results.size() / 2);
      String json = median.toJson();
      parent.spec.commandLine().getOut().printf(Locale.ROOT,
          "{\"bench\":\"queue\",\"users\":%d,\"jobs_per_user\":%d,\"flood\":%d,\"rounds\":%d,%s%n",
          users, jobsPerUser, flood, rounds, json.substring(1));
      return ExitCodes.OK;
    }
  }

  @Command(name = "strategies", mixinStandardHelpOptions = true,
      description = {"Gives each strategy the same wall time and compares the CLIP score of the images they return",
          "(whole image, the same measure for all). Prints one JSON line per strategy: mean and per-seed scores."})
  static final class StrategiesBench implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "tiny", description = "Model id (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--prompt", defaultValue = "a lighthouse in a storm", description = "Prompt (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--seconds", defaultValue = "10", description = "Wall time per run (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seeds", defaultValue = "3", description = "Runs per strategy, seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Mixin ConfigOptions configOptions;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Override
    public Integer call() {
      try (DjlEngine engine = engine(configOptions.load(System.getenv(), Map.of()).engine())) {
        for (Strategy strategy : Strategy.values()) {
          // Steps that fill the budget, timed on a second short run (the first fills the caches:
          // label embeddings for search, prompt embeddings, JIT).
          engine.generate(request(strategy, 4, 0), p -> {}, new CancellationSignal());
          List<Long> ends = new ArrayList<>();
          engine.generate(request(strategy, 8, 0), p -> ends.add(System.nanoTime()), new CancellationSignal());
          double msPerStep = (ends.get(7) - ends.get(0)) / 1e6 / 7;
          int steps = Math.max(1, (int) (seconds * 1000 / msPerStep));
          List<Double> scores = new ArrayList<>();
          for (int seed = 1; seed <= seeds; seed++) {
            GenerationRequest request = request(strategy, steps, seed);
            byte[] png = engine.generate(request, p -> {}, new CancellationSignal()).png();
            scores.add(engine.clipScore(model, request.prompts(), png));
          }
          parent.spec.commandLine().getOut().printf(Locale.ROOT,
              "{\"bench\":\"strategies\",\"model\":\"%s\",\"strategy\":\"%s\",\"seconds\":%.1f,\"steps\":%d,"
                  + "\"mean_clip_score\":%.4f,\"scores\":%s}%n",
              model, strategy.id(), seconds, steps, scores.stream().mapToDouble(Double::doubleValue).average().orElse(0),
              scores.stream().map(v -> String.format(Locale.ROOT, "%.4f", v)).toList());
        }
      }
      return ExitCodes.OK;
    }

    private GenerationRequest request(Strategy strategy, int steps, long seed) {
      return new GenerationRequest(PromptParser.parse(prompt), model, strategy, steps, seed);
    }
  }
}
