package org.imaginebot.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.imaginebot.app.AppConfig;
import org.imaginebot.app.BotApplication;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.SeedSource;
import org.imaginebot.request.Strategy;

/**
 * Images made from nothing, to compare a chat reply's image with: the tiny models on the adapter
 * harnesses' engine settings (2 cutouts, a preview every 2 steps), each in an empty cache.
 */
public final class FreshImages {

  private final Path scratch;

  public FreshImages(Path scratch) {
    this.scratch = scratch;
  }

  /** An adam request on the tiny models with a typed seed. */
  public static GenerationRequest adam(String prompt, long seed, int steps) {
    return new GenerationRequest(
        PromptParser.parse(prompt),
        "tiny",
        Strategy.ADAM,
        steps,
        seed,
        GenerationRequest.NATIVE_SIZE,
        SeedSource.TYPED,
        0,
        List.of());
  }

  /** The PNG of {@code request} made by a runner of its own with an empty cache. */
  public byte[] make(GenerationRequest request) {
    AppConfig config =
        ConfigLoader.load(
            Path.of("config/application.yaml"),
            Map.of(),
            Map.of(
                "engine.cutouts", "2",
                "engine.previewEvery", "2",
                "cache.diskDir", scratch.resolve("cache-" + System.nanoTime()).toString()));
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    try (var engine = BotApplication.engine(config, manifest)) {
      return BotApplication.runner(config, manifest, engine, Clock.systemUTC())
          .run(request, ProgressListener.NONE, new CancellationSignal())
          .image()
          .png();
    }
  }

  /** The PNG as the cache holds it: a chat reply's copy also names its parent's job. */
  public static byte[] withoutParent(byte[] png) {
    return Provenance.read(png).orElseThrow().withParentJob(null).stamp(png);
  }
}
