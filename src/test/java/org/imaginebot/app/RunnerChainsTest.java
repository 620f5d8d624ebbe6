package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.provenance.RunStateChunk;
import org.imaginebot.render.ContactSheet;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import org.imaginebot.worker.GenerationRunner;
import org.imaginebot.worker.LazyEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contact sheets, continues and re-prompts through the {@link GenerationRunner} the workers use, on
 * the tiny models: each is checked against the same image made from nothing in a runner with an
 * empty cache.
 */
final class RunnerChainsTest {

  private static AppConfig config;
  private static ModelManifest manifest;
  private static LazyEngine engine;

  @TempDir Path cacheDir;
  @TempDir Path otherCacheDir;

  @BeforeAll
  static void start() {
    config =
        ConfigLoader.load(
            Path.of("config/application.yaml"),
            Map.of(),
            Map.of("engine.cutouts", "4", "engine.previewEvery", "2"));
    manifest = ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    engine = BotApplication.engine(config, manifest);
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private GenerationRunner runner(Path dir) {
    AppConfig withDir =
        ConfigLoader.load(
            Path.of("config/application.yaml"),
            Map.of(),
            Map.of(
                "engine.cutouts",
                "4",
                "engine.previewEvery",
                "2",
                "cache.diskDir",
                dir.toString()));
    return BotApplication.runner(withDir, manifest, engine, Clock.systemUTC());
  }

  private static GenerationRequest request(int steps) {
    return new GenerationRequest(
        PromptParser.parse("a lighthouse in a storm"), "tiny", Strategy.ADAM, steps, 21);
  }

  private static byte[] run(GenerationRunner runner, GenerationRequest request) {
    return run(runner, request, ProgressListener.NONE);
  }

  private static byte[] run(
      GenerationRunner runner, GenerationRequest request, ProgressListener listener) {
    return runner.run(request, listener, new CancellationSignal()).image().png();
  }

  @Test
  void aContinueOfACachedImage_goesOnFromItsState_andGivesTheBytesOfOneRun() {
    GenerationRunner runner = runner(cacheDir);
    run(runner, request(3));
    List<Progress> steps = new ArrayList<>();

    byte[] continued = run(runner, request(5).withContinuedFrom(3), steps::add);

    assertThat(steps).extracting(Progress::step).containsExactly(4, 5);
    assertThat(continued).isEqualTo(run(runner(otherCacheDir), request(5)));
    assertThat(Provenance.read(continued).orElseThrow().request()).isEqualTo(request(5));
  }

  @Test
  void aContinueWhoseImageLeftTheCache_runsFromTheStart_toTheSameBytes() {
    List<Progress> steps = new ArrayList<>();

    byte[] continued = run(runner(cacheDir), request(5).withContinuedFrom(3), steps::add);

    assertThat(steps).extracting(Progress::step).containsExactly(1, 2, 3, 4, 5);
    assertThat(continued).isEqualTo(run(runner(otherCacheDir), request(5)));
  }

  @Test
  void aReprompt_goesOnFromTheOriginUnderTheNewPrompt_reproducibly() {
    GenerationRunner runner = runner(cacheDir);
    byte[] origin = run(runner, request(3));
    GenerationRequest reprompt = request(3).reprompted(PromptParser.parse("a red barn"), 2);
    List<Progress> steps = new ArrayList<>();

    byte[] image = run(runner, reprompt, steps::add);

    assertThat(steps).extracting(Progress::step).containsExactly(4, 5);
    assertThat(image).isNotEqualTo(origin).isNotEqualTo(run(runner, request(5)));
    // Without the origin in the cache it is run first (progress counts it), then the same bytes.
    List<Progress> fresh = new ArrayList<>();
    assertThat(run(runner(otherCacheDir), reprompt, fresh::add)).isEqualTo(image);
    assertThat(fresh).extracting(Progress::step).containsExactly(1, 2, 3, 4, 5);
    assertThat(fresh).extracting(Progress::total).containsOnly(5);
    Provenance provenance = Provenance.read(image).orElseThrow();
    assertThat(provenance.request().origin()).isEqualTo(request(3));
    assertThat(provenance.request().describePrompt()).isEqualTo("a red barn");
    // It carries a state of its own, so it can be continued in turn.
    assertThat(RunStateChunk.read(image).orElseThrow().step()).isEqualTo(5);
    byte[] continued = run(runner, reprompt.withSteps(7).withContinuedFrom(5));
    assertThat(continued)
        .isEqualTo(run(runner(otherCacheDir), request(3).reprompted(reprompt.prompts(), 4)));
  }

  @Test
  void aContactSheet_showsItsFourCandidates_andRefineGoesOnFromOne() {
    GenerationRunner runner = runner(cacheDir);
    GenerationRequest sheet = request(8).withGrid(GenerationRequest.GRID);
    List<Progress> steps = new ArrayList<>();

    byte[] png = run(runner, sheet, steps::add);

    BufferedImage image = Png.decode(png);
    BufferedImage single = Png.decode(run(runner, sheet.candidate(0)));
    assertThat(image.getWidth()).isEqualTo(2 * single.getWidth());
    assertThat(image.getHeight()).isEqualTo(2 * single.getHeight());
    assertThat(steps).extracting(Progress::step).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(steps).extracting(Progress::total).containsOnly(8);
    for (int i = 0; i < GenerationRequest.GRID; i++) {
      GenerationRequest candidate = sheet.candidate(i);
      assertThat(candidate.seed()).isEqualTo(21 + i);
      assertThat(candidate.steps()).isEqualTo(2);
      assertThat(pixels(ContactSheet.cell(png, i))).isEqualTo(pixels(run(runner, candidate)));
    }
    assertThat(Provenance.read(png).orElseThrow().request()).isEqualTo(sheet);
    // Refine 3: candidate 3 goes on for the sheet's steps from its cached state.
    GenerationRequest refine = sheet.candidate(2).withSteps(2 + 8).withContinuedFrom(2);
    List<Progress> refineSteps = new ArrayList<>();
    byte[] refined = run(runner, refine, refineSteps::add);
    assertThat(refineSteps).extracting(Progress::step).startsWith(3).endsWith(10).hasSize(8);
    assertThat(refined).isEqualTo(run(runner(otherCacheDir), sheet.candidate(2).withSteps(10)));
  }

  private static int[] pixels(byte[] png) {
    BufferedImage image = Png.decode(png);
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
