package org.imaginebot.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.bench.PaperQuality;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.models.ModelManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench quality}: paper 001's figure with real weights, or a plain sentence that there are
 * none. Never a score from other models.
 */
@Command(
    name = "quality",
    mixinStandardHelpOptions = true,
    description = {
      "Paper 001's procedure (top-k 20 ImageNet classes, best CLIP score of 100 candidates) and our auto with",
      "the same 100 steps, on the paper's captions (the three of its Figure 3) and seeds 42-44, scored by",
      "the whole image's CLIP score; prints one JSON line with each mean next to the paper's 0.3053.",
      "Needs the real weights: a manifest entry " + PaperQuality.CLIP_ID + " (CLIP ViT-B/32) and a",
      PaperQuality.BIGGAN_DEEP_PREFIX
          + "-* BigGAN entry steered by it, files present. Without them it says so and exits 0."
    })
final class QualityBench implements Callable<Integer> {

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description = "Model manifest (default: engine.manifest).")
  Path manifest;

  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      description = "Directory the manifest's paths are relative to (default: engine.modelsDir).")
  Path modelsDir;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  @Override
  public Integer call() {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("engine.searchTopK", Integer.toString(PaperQuality.TOP_K));
    if (manifest != null) {
      extra.put("engine.manifest", manifest.toString());
    }
    if (modelsDir != null) {
      extra.put("engine.modelsDir", modelsDir.toString());
    }
    EngineConfig config = configOptions.load(System.getenv(), extra).engine();
    ModelManifest models = ModelManifest.load(config.manifest(), config.modelsDir());
    PaperQuality.Availability real = PaperQuality.find(models);
    var out = parent.spec.commandLine().getOut();
    if (real.generator().isEmpty()) {
      out.println(
          "bench quality: no real weights, so no score: "
              + real.reason()
              + " (manifest "
              + config.manifest()
              + ", models dir "
              + config.modelsDir()
              + "). It needs the real CLIP ViT-B/32 and BigGAN-deep; scores of other models would not"
              + " be comparable with the paper's "
              + PaperQuality.PAPER_BIGGAN_K20
              + ".");
      return ExitCodes.OK;
    }
    try (DjlEngine engine = new DjlEngine(config, models)) {
      out.println(
          PaperQuality.run(
              engine,
              real.generator().get(),
              PaperQuality.CAPTIONS,
              PaperQuality.SEEDS,
              PaperQuality.CANDIDATES,
              config.searchTopK()));
    }
    return ExitCodes.OK;
  }
}
