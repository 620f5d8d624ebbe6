package org.imaginebot.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.config.EngineConfig;
import org.imaginebot.config.ModelManifest;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench engine}: milliseconds per step of a strategy, as one JSON line. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Built-in benchmarks; each prints one JSON line.",
    subcommands = {BenchCommand.EngineBench.class})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark: engine");
  }

  @Command(name = "engine", mixinStandardHelpOptions = true,
      description = "Times the engine's steps after a warm-up run (model loading excluded).")
  static final class EngineBench implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "tiny", description = "Model id (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--strategy", defaultValue = "adam", description = "adam or search (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin ConfigOptions configOptions;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Override
    public Integer call() {
      EngineConfig engineConfig = configOptions.load(System.getenv(), Map.of()).engine();
      ModelManifest manifest = ModelManifest.load(engineConfig.manifest(), engineConfig.modelsDir());
      Strategy chosen = Strategy.parse(strategy);
      List<Long> stepEnds = new ArrayList<>();
      try (Engine engine = new DjlEngine(engineConfig, manifest)) {
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
}
