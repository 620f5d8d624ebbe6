package org.imaginebot.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.worker.LazyEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench sheet}: what a contact sheet ({@code --grid 4}: four seeds, a quarter of the steps
 * each) costs against one image of the same steps, through the {@code GenerationRunner} the workers
 * run, on one engine, in alternating rounds with fresh seeds and an empty cache each time. Wall
 * time and the process's CPU time (less moved by other processes on a shared machine) are both
 * given.
 */
@Command(
    name = "sheet",
    mixinStandardHelpOptions = true,
    description = {
      "Time of a --grid 4 contact sheet against one image of the same steps (alternating rounds,",
      "one engine, empty caches); prints the medians and their ratio."
    })
final class SheetBench implements Callable<Integer> {

  @Option(
      names = "--steps",
      defaultValue = "40",
      description = "Steps of the image and of the sheet (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Rounds of one image then one sheet (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--model",
      defaultValue = "tiny",
      description = "Model id (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--out", description = "Also write the JSON line to FILE.")
  Path outFile;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  /** Wall and process CPU time of one run, in ms. */
  private record Cost(double wallMs, double cpuMs) {}

  @Override
  public Integer call() throws Exception {
    if (steps < 4 || rounds < 1) {
      throw new IllegalArgumentException(
          "--steps must be at least 4 (a quarter each) and --rounds at least 1");
    }
    Path tmp = Files.createTempDirectory("bench-sheet");
    AppConfig base = configOptions.load(System.getenv(), Map.of());
    ModelManifest manifest =
        ModelManifest.load(base.engine().manifest(), base.engine().modelsDir());
    List<Cost> single = new ArrayList<>();
    List<Cost> sheet = new ArrayList<>();
    try (LazyEngine engine = BotApplication.engine(base, manifest)) {
      // Warm-up: the models load and libtorch settles before anything is timed.
      run(manifest, engine, tmp, BenchJobs.request(model, steps, 1));
      for (int round = 0; round < rounds; round++) {
        long seed = 1000L * (round + 1);
        GenerationRequest one = BenchJobs.request(model, steps, seed);
        // Its own seeds (seed+4 on): no candidate is the single image of an earlier round.
        GenerationRequest four = BenchJobs.request(model, steps, seed + 4).withGrid(4);
        single.add(run(manifest, engine, tmp, one));
        sheet.add(run(manifest, engine, tmp, four));
      }
    } finally {
      BenchJobs.deleteTree(tmp);
    }
    List<Double> wallRatios = new ArrayList<>();
    List<Double> cpuRatios = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      wallRatios.add(sheet.get(i).wallMs() / single.get(i).wallMs());
      cpuRatios.add(sheet.get(i).cpuMs() / single.get(i).cpuMs());
    }
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("bench", "sheet").put("model", model).put("steps", steps).put("rounds", rounds);
    json.put("single_median_ms", BenchJobs.median(single.stream().map(Cost::wallMs).toList()));
    json.put("sheet_median_ms", BenchJobs.median(sheet.stream().map(Cost::wallMs).toList()));
    json.put("ratio_median", BenchJobs.median(wallRatios));
    json.put("cpu_ratio_median", BenchJobs.median(cpuRatios));
    json.put(
        "covers",
        "GenerationRunner.run of one adam image and of a --grid 4 sheet (four candidates of"
            + " steps/4, each cached, then the 2x2 PNG), empty caches; not the queue or the chat"
            + " reply, which are the same for both. cpu_ratio_median: the same ratio in process CPU"
            + " time.");
    BenchJobs.emit(parent.spec.commandLine().getOut(), json.toString(), outFile);
    return ExitCodes.OK;
  }

  private Cost run(ModelManifest manifest, LazyEngine engine, Path tmp, GenerationRequest r)
      throws java.io.IOException {
    Path cache = Files.createTempDirectory(tmp, "cache");
    AppConfig config =
        configOptions.load(
            System.getenv(),
            Map.of("cache.diskDir", cache.toString(), "cache.memoryMaxBytes", "0"));
    long wall = System.nanoTime();
    long cpu = processCpuNanos();
    BotApplication.runner(config, manifest, engine, Clock.systemUTC())
        .run(r, ProgressListener.NONE, new CancellationSignal());
    return new Cost((System.nanoTime() - wall) / 1e6, (processCpuNanos() - cpu) / 1e6);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
