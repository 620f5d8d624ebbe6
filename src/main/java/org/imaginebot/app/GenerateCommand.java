package org.imaginebot.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.engine.RunState;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.render.Gif;
import org.imaginebot.render.TimelapseFrames;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.worker.GenerationRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: one image from a prompt, written as PNG, with a progress bar. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates one image from a text prompt and writes it as PNG.",
      "The PNG records its parameters; --from FILE.png makes that image again."
    },
    footer = {
      "",
      "Examples:",
      "  imagine-bot generate \"a lighthouse in a storm | oil painting:0.5\" --steps 50 --seed 7 --out lighthouse.png",
      "  imagine-bot generate --from lighthouse.png --out again.png",
      "  imagine-bot generate --from lighthouse.png --continue 50 --out more.png"
    })
final class GenerateCommand implements Callable<Integer> {

  /**
   * Timelapse frames kept at most (evenly spaced over the run), their delay, and the GIF's size
   * limit.
   */
  private static final int TIMELAPSE_FRAMES = 120;

  private static final Duration TIMELAPSE_FRAME_DELAY = Duration.ofMillis(100);
  private static final long TIMELAPSE_MAX_BYTES = 10L << 20;

  @Option(
      names = "--from",
      paramLabel = "FILE.png",
      description =
          "Make an image again from the parameters its PNG records (prompt, seed, steps, model...); on the same device the bytes are the same. Give its image prompts with --image.")
  Path from;

  @Option(
      names = "--pick",
      paramLabel = "N",
      description =
          "With --from SHEET.png (made with --grid 4): refine candidate N (1 top left, 2 top right, 3 bottom left, 4 bottom right) with adam for --steps more steps (default: the sheet's steps), from where that candidate stopped.")
  Integer pick;

  @Option(
      names = "--continue",
      paramLabel = "N",
      description =
          "With --from: continue that image's run (adam only) for N more steps, from its final latents and optimizer state, which its PNG carries; 1..engine.maxSteps. The result records all the steps and can be continued again.")
  Integer moreSteps;

  @Option(
      names = "--image",
      paramLabel = "FILE[:WEIGHT]",
      description =
          "An image prompt (PNG or JPEG): its look joins the prompt with WEIGHT (default 1; negative steers away); repeatable, up to 4.")
  List<String> images = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "out.png",
      description = "Where to write the PNG (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--timelapse",
      paramLabel = "FILE.gif",
      description =
          "Also write an animated GIF of the run's previews (under 10 MiB; runs the engine even when the image is cached).")
  Path timelapse;

  @Option(
      names = "--progress-dir",
      paramLabel = "DIR",
      description = "Also write a preview PNG into DIR every --preview-every steps.")
  Path progressDir;

  @Option(
      names = "--preview-every",
      paramLabel = "N",
      description = "Steps between previews (default: engine.previewEvery).")
  Integer previewEvery;

  @Mixin RequestOptions what;

  @Mixin ConfigOptions configOptions;

  private final Map<String, String> env;
  private final PrintStream stdout;
  private final boolean terminal;

  GenerateCommand(Map<String, String> env, PrintStream stdout, boolean terminal) {
    this.env = env;
    this.stdout = stdout;
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws IOException {
    AppConfig app =
        configOptions.load(
            env,
            previewEvery == null
                ? Map.of()
                : Map.of("engine.previewEvery", previewEvery.toString()));
    EngineConfig engineConfig = app.engine();
    ModelManifest manifest = ModelManifest.load(engineConfig.manifest(), engineConfig.modelsDir());
    if (moreSteps != null) {
      if (from == null) {
        throw new IllegalArgumentException(
            "--continue N goes with --from FILE.png, the image whose run to continue");
      }
      if (moreSteps < 1 || moreSteps > engineConfig.maxSteps()) {
        throw new IllegalArgumentException(
            "--continue takes 1 to "
                + engineConfig.maxSteps()
                + " more steps (engine.maxSteps), got "
                + moreSteps);
      }
    }
    if (pick != null && (from == null || moreSteps != null)) {
      throw new IllegalArgumentException(
          "--pick N goes with --from SHEET.png (a --grid 4 contact sheet) and --steps, not with"
              + " --continue");
    }
    byte[] original = from == null ? null : FromImage.bytes(from);
    GenerationRequest request =
        from == null
            ? request(engineConfig, app.cache().seedFromPrompt())
            : pick != null
                ? picked(original, manifest, engineConfig)
                : fromImage(original, manifest, engineConfig);
    RunState state = moreSteps == null ? null : FromImage.state(original, from, request);
    manifest.require(request.model());
    OutputFiles.checkWritable(out);
    if (timelapse != null) {
      OutputFiles.checkWritable(timelapse);
    }
    if (progressDir != null) {
      Files.createDirectories(progressDir);
    }

    if (state != null) {
      stdout.printf(
          Locale.ROOT,
          "continuing %s from step %d for %d more steps%n",
          from,
          state.step(),
          moreSteps);
    } else if (pick != null) {
      stdout.printf(
          Locale.ROOT,
          "refining candidate %d of %s (seed %d) from step %d for %d more steps%n",
          pick,
          from,
          request.seed(),
          request.continuedFrom(),
          request.steps() - request.continuedFrom());
    } else if (from != null) {
      stdout.printf(Locale.ROOT, "re-making %s from the parameters it records%n", from);
    }
    stdout.printf(
        Locale.ROOT,
        "generating \"%s\" with %s on %s, %d steps, seed %d%n",
        request.describePrompt(),
        request.strategy().id(),
        request.model(),
        state == null ? request.steps() : state.step() + moreSteps,
        request.seed());
    ProgressListener listener = new ProgressBar(stdout, terminal, System::nanoTime);
    if (progressDir != null) {
      listener = OutputFiles.andPreviewsTo(listener, progressDir);
    }
    TimelapseFrames frames = new TimelapseFrames(TIMELAPSE_FRAMES);
    if (timelapse != null) {
      ProgressListener shown = listener;
      listener =
          p -> {
            shown.onProgress(p);
            if (p.hasPreview()) {
              frames.add(p.previewPng());
            }
          };
    }
    CachedImage image;
    boolean cached;
    try (Engine engine = BotApplication.engine(app, manifest)) {
      GenerationRunner runner = BotApplication.runner(app, manifest, engine, Clock.systemUTC());
      if (state != null) {
        image = runner.resume(request, state, moreSteps, listener, new CancellationSignal());
        cached = false;
      } else {
        // A timelapse needs the run's previews and a re-make must run to prove anything, so the
        // cache may not answer them (it is still written).
        Outcome outcome =
            timelapse != null || remaking()
                ? runner.remake(request, listener, new CancellationSignal())
                : runner.run(request, listener, new CancellationSignal());
        image = outcome.image();
        cached = outcome.cached();
      }
    }
    if (remaking() && state == null) {
      // Neither the parent nor the continuing is part of the request: the re-make names the same
      // as the original (a continued run gives the image of a run of all its steps).
      Provenance recorded = Provenance.read(original).orElseThrow();
      byte[] png = image.png();
      image =
          image.withPng(
              Provenance.read(png)
                  .map(
                      p ->
                          p.withParentJob(recorded.parentJob())
                              .withContinuedFromSteps(recorded.continuedFromSteps())
                              .stamp(png))
                  .orElse(png));
    }
    OutputFiles.write(out, image.png());
    if (timelapse != null) {
      byte[] gif =
          Gif.timelapse(frames.frames(image.png()), TIMELAPSE_FRAME_DELAY, TIMELAPSE_MAX_BYTES);
      OutputFiles.write(timelapse, gif);
      stdout.printf(
          Locale.ROOT,
          "wrote %s (%d frames, %d bytes)%n",
          timelapse,
          frames.size() + 1,
          gif.length);
    }
    if (cached) {
      stdout.printf(
          Locale.ROOT,
          "cached: wrote %s (%d bytes) generated %s in %.1f s: CLIP score %.4f at step %d, seed %d%n",
          out,
          image.pngSize(),
          image.createdAt(),
          image.generationMillis() / 1000.0,
          image.clipScore(),
          image.bestStep(),
          request.seed());
    } else {
      stdout.printf(
          Locale.ROOT,
          "wrote %s (%d bytes): CLIP score %.4f at step %d, %.1f s, seed %d%n",
          out,
          image.pngSize(),
          image.clipScore(),
          image.bestStep(),
          image.generationMillis() / 1000.0,
          request.seed());
    }
    if (state != null) {
      stdout.printf(
          Locale.ROOT,
          "continued %s from step %d to step %d%n",
          from,
          state.step(),
          state.step() + moreSteps);
    } else if (remaking()) {
      stdout.println(
          Arrays.equals(image.png(), original)
              ? "identical to " + from + ", byte for byte"
              : "differs from "
                  + from
                  + ": the same parameters, model files and settings gave other bytes here"
                  + " (another device, CPU or libtorch build computes other bits)");
    }
    return ExitCodes.OK;
  }

  /** A re-make of the {@code --from} image (not a continue, not a pick from a sheet). */
  private boolean remaking() {
    return from != null && pick == null && moreSteps == null;
  }

  /**
   * {@code --pick N}: candidate N of the {@code --from} contact sheet, to be refined for {@code
   * --steps} more steps from where it stopped (the runner goes on from its cached state, or runs it
   * all again: the same bytes).
   */
  private GenerationRequest picked(
      byte[] original, ModelManifest manifest, EngineConfig engineConfig) {
    if (what.anyGiven() && !what.onlySteps()) {
      throw new IllegalArgumentException(
          "--pick takes the prompt and settings from the sheet; give only --steps (how many more)");
    }
    GenerationRequest sheet =
        FromImage.request(
            FromImage.provenance(original, from),
            from,
            manifest,
            engineConfig,
            ImagePrompts.read(images));
    if (sheet.grid() == 0) {
      throw new IllegalArgumentException(
          from
              + " is one image, not a contact sheet (made with --grid 4): --pick picks a candidate");
    }
    if (pick < 1 || pick > sheet.grid()) {
      throw new IllegalArgumentException(
          "--pick takes 1 to " + sheet.grid() + " (the sheet's candidates), got " + pick);
    }
    int more = what.steps == null ? sheet.steps() : what.steps;
    GenerationRequest candidate = sheet.candidate(pick - 1);
    if (more < 1 || candidate.steps() + more > engineConfig.maxSteps()) {
      throw new IllegalArgumentException(
          "--steps takes 1 to "
              + (engineConfig.maxSteps() - candidate.steps())
              + " more steps (engine.maxSteps "
              + engineConfig.maxSteps()
              + " in all), got "
              + more);
    }
    return candidate.withSteps(candidate.steps() + more).withContinuedFrom(candidate.steps());
  }

  /** The request {@code original} (the {@code --from} file) records, if this bot can re-make it. */
  private GenerationRequest fromImage(
      byte[] original, ModelManifest manifest, EngineConfig engineConfig) {
    if (what.anyGiven()) {
      throw new IllegalArgumentException(
          "--from takes the prompt and settings from the image; leave out PROMPT, --no, --model,"
              + " --strategy, --steps, --seed and --size");
    }
    Provenance recorded = FromImage.provenance(original, from);
    return FromImage.request(recorded, from, manifest, engineConfig, ImagePrompts.read(images));
  }

  private GenerationRequest request(EngineConfig engine, boolean seedFromPrompt) {
    // withImages derives a derived seed (the zero in the request) from the whole request, image
    // prompts included.
    return what.request(
            engine,
            seedFromPrompt,
            "give a PROMPT, or --from FILE.png to make an image again from its parameters")
        .withImages(ImagePrompts.read(images));
  }
}
