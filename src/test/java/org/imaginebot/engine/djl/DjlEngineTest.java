package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationCancelledException;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine end to end on the committed tiny models. */
final class DjlEngineTest {

  private static DjlEngine engine;

  @BeforeAll
  static void start() {
    engine = TinyModels.engine(Map.of("engine.cutouts", "8", "engine.previewEvery", "5"));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static GenerationRequest request(String prompt, Strategy strategy, int steps, long seed) {
    return new GenerationRequest(PromptParser.parse(prompt), "tiny", strategy, steps, seed);
  }

  private static GenerationResult run(GenerationRequest request) {
    return engine.generate(request, ProgressListener.NONE, new CancellationSignal());
  }

  @Test
  void adam_clipScoreImprovesOverTheRun() {
    List<Progress> steps = new ArrayList<>();
    GenerationResult result =
        engine.generate(
            request("a lighthouse in a storm", Strategy.ADAM, 40, 3),
            steps::add,
            new CancellationSignal());

    double firstFive =
        steps.subList(0, 5).stream().mapToDouble(Progress::clipScore).average().orElseThrow();
    double lastFive =
        steps.subList(35, 40).stream().mapToDouble(Progress::clipScore).average().orElseThrow();
    assertThat(lastFive)
        .as("mean CLIP score of the last 5 steps vs the first 5")
        .isGreaterThan(firstFive + 0.03);
    assertThat(result.clipScore()).isGreaterThan(result.initialClipScore());
    assertThat(result.clipScore())
        .isEqualTo(steps.stream().mapToDouble(Progress::clipScore).max().orElseThrow());
    assertThat(steps.get(result.bestStep() - 1).clipScore()).isEqualTo(result.clipScore());
  }

  @Test
  void adam_reportsEveryStepWithPreviewsEveryFifthAndLast() {
    List<Progress> steps = new ArrayList<>();
    GenerationResult result =
        engine.generate(
            request("a red apple", Strategy.ADAM, 12, 5), steps::add, new CancellationSignal());

    assertThat(steps)
        .extracting(Progress::step)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(steps).allSatisfy(p -> assertThat(p.total()).isEqualTo(12));
    assertThat(steps)
        .filteredOn(Progress::hasPreview)
        .extracting(Progress::step)
        .containsExactly(5, 10, 12);
    BufferedImage preview = Png.decode(steps.get(4).previewPng());
    assertThat(preview.getWidth()).isEqualTo(64);
    BufferedImage image = Png.decode(result.png());
    assertThat(image.getWidth()).isEqualTo(64);
    assertThat(image.getHeight()).isEqualTo(64);
  }

  @Test
  void adam_sameSeedSamePngBytes_otherSeedOtherPng() {
    byte[] first = run(request("a castle | fog:0.5 | blurry:-1", Strategy.ADAM, 8, 42)).png();
    byte[] again = run(request("a castle | fog:0.5 | blurry:-1", Strategy.ADAM, 8, 42)).png();
    byte[] other = run(request("a castle | fog:0.5 | blurry:-1", Strategy.ADAM, 8, 43)).png();

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  /**
   * Guards against reads of freed memory in the backward pass (DJL frees scalar operands that
   * autograd keeps): those made every few runs of one seed differ or turn NaN.
   */
  @Test
  void adam_manyRunsOfOneSeed_identicalLossesAndPng() {
    List<List<Double>> losses = new ArrayList<>();
    List<byte[]> pngs = new ArrayList<>();
    for (int run = 0; run < 6; run++) {
      List<Double> runLosses = new ArrayList<>();
      pngs.add(
          engine
              .generate(
                  request("a lighthouse in a storm", Strategy.ADAM, 25, 3),
                  p -> runLosses.add(p.loss()),
                  new CancellationSignal())
              .png());
      losses.add(runLosses);
    }

    assertThat(losses.get(0)).doesNotContain(Double.NaN);
    assertThat(losses).allSatisfy(l -> assertThat(l).isEqualTo(losses.get(0)));
    assertThat(pngs).allSatisfy(p -> assertThat(p).isEqualTo(pngs.get(0)));
  }

  @Test
  void adam_negativePromptChangesTheImage() {
    byte[] plain = run(request("a castle", Strategy.ADAM, 8, 42)).png();
    byte[] negative = run(request("a castle | blurry:-1", Strategy.ADAM, 8, 42)).png();

    assertThat(negative).isNotEqualTo(plain);
  }

  @Test
  void search_ranksTheMatchingLabelFirst() {
    try (ai.djl.ndarray.NDManager run = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
      ClipModel clip = engine.clip("tiny-clip");
      ClassSearch search = new ClassSearch(clip, engine.bigGan("tiny"), 15, 5);
      PromptTargets targets =
          new PromptTargets(
              new ai.djl.ndarray.NDList(clip.encodeTexts(run, List.of("an image of goldfish"))),
              new double[] {1.0});

      int[] top = search.topClasses(targets);

      assertThat(top).hasSize(15);
      assertThat(top[0]).as("class 1 is 'goldfish'").isEqualTo(1);
    }
  }

  @Test
  void search_keepsTheBestCandidateAndIsReproducible() {
    List<Progress> steps = new ArrayList<>();
    GenerationResult result =
        engine.generate(
            request("a goldfish in a bowl", Strategy.SEARCH, 10, 9),
            steps::add,
            new CancellationSignal());
    byte[] again = run(request("a goldfish in a bowl", Strategy.SEARCH, 10, 9)).png();

    assertThat(steps).hasSize(10);
    assertThat(result.clipScore())
        .isEqualTo(steps.stream().mapToDouble(Progress::clipScore).max().orElseThrow());
    assertThat(result.clipScore()).isGreaterThanOrEqualTo(result.initialClipScore());
    assertThat(again).isEqualTo(result.png());
  }

  @Test
  void cancel_stopsAtTheNextStep() {
    CancellationSignal cancel = new CancellationSignal();
    List<Integer> seen = new ArrayList<>();
    ProgressListener cancelAtThree =
        p -> {
          seen.add(p.step());
          if (p.step() == 3) {
            cancel.cancel();
          }
        };

    assertThatThrownBy(
            () -> engine.generate(request("a ship", Strategy.ADAM, 50, 1), cancelAtThree, cancel))
        .isInstanceOfSatisfying(
            GenerationCancelledException.class, e -> assertThat(e.completedSteps()).isEqualTo(3));
    assertThat(seen).containsExactly(1, 2, 3);
  }

  @Test
  void generate_unknownModel_namesTheKnownOnes() {
    GenerationRequest request =
        new GenerationRequest(PromptParser.parse("a ship"), "nope", Strategy.ADAM, 2, 1);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> run(request))
        .withMessageContaining("unknown model 'nope'")
        .withMessageContaining("tiny");
  }

  @Test
  void generate_clipModel_isNotAGenerator() {
    GenerationRequest request =
        new GenerationRequest(PromptParser.parse("a face"), "tiny-clip", Strategy.ADAM, 2, 1);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> run(request))
        .withMessageContaining("tiny-clip")
        .withMessageContaining("not a generator")
        .withMessageContaining("tiny-stylegan");
  }

  @Test
  void variation_startsNearTheSeedsLatents_andIsItselfReproducible() {
    GenerationRequest original = request("a lighthouse in a storm", Strategy.ADAM, 3, 21);
    List<Progress> originalSteps = new ArrayList<>();
    List<Progress> variationSteps = new ArrayList<>();
    List<Progress> otherSeedSteps = new ArrayList<>();

    GenerationResult base = engine.generate(original, originalSteps::add, new CancellationSignal());
    GenerationResult varied =
        engine.generate(original.withVariation(1), variationSteps::add, new CancellationSignal());
    engine.generate(original.withSeed(22, true), otherSeedSteps::add, new CancellationSignal());

    assertThat(varied.png()).isNotEqualTo(base.png());
    assertThat(run(original.withVariation(1)).png()).isEqualTo(varied.png());
    assertThat(run(original.withVariation(2)).png()).isNotEqualTo(varied.png());
    // Same class logits and most of z: the first step's loss is nearer the original's than another
    // seed's.
    double toOriginal = Math.abs(variationSteps.get(0).loss() - originalSteps.get(0).loss());
    double otherSeed = Math.abs(otherSeedSteps.get(0).loss() - originalSteps.get(0).loss());
    assertThat(toOriginal).isLessThan(otherSeed);
  }

  @Test
  void clipScore_ofASearchResult_matchesTheScoreTheSearchSaw() {
    GenerationRequest request = request("a red apple", Strategy.SEARCH, 4, 9);
    GenerationResult result = run(request);

    double rescored = engine.clipScore("tiny", request.prompts(), result.png());

    // The PNG holds 8-bit pixels, the search scored floats: equal up to rounding.
    assertThat(rescored).isCloseTo(result.clipScore(), org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void evolve_eliteKeepsTheBestScoreFromGenerationToGeneration_andIsReproducible() {
    List<Progress> generations = new ArrayList<>();
    GenerationRequest request = request("a red apple", Strategy.EVOLVE, 4, 12);

    GenerationResult result = engine.generate(request, generations::add, new CancellationSignal());

    assertThat(generations).extracting(Progress::step).containsExactly(1, 2, 3, 4);
    List<Double> best = generations.stream().map(Progress::clipScore).toList();
    assertThat(best).isSortedAccordingTo(Double::compare);
    assertThat(result.clipScore()).isEqualTo(best.get(3));
    assertThat(run(request).png()).isEqualTo(result.png());
  }

  @Test
  void evolve_withADiscriminatorInTheManifest_addsRealismToTheFitness(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    // The same manifest without the discriminator lines: CLIP alone.
    java.nio.file.Path manifest = dir.resolve("models.yaml");
    java.nio.file.Files.write(
        manifest,
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("config/models.yaml")).stream()
            .filter(line -> !line.contains("discriminator:"))
            .toList());
    List<Progress> withRealism = new ArrayList<>();
    List<Progress> clipAlone = new ArrayList<>();
    GenerationRequest request = request("a red apple", Strategy.EVOLVE, 1, 12);

    engine.generate(request, withRealism::add, new CancellationSignal());
    org.imaginebot.engine.EngineConfig config = TinyModels.config(Map.of("engine.cutouts", "8"));
    try (DjlEngine without =
        new DjlEngine(
            config, org.imaginebot.models.ModelManifest.load(manifest, config.modelsDir()))) {
      without.generate(request, clipAlone::add, new CancellationSignal());
    }

    // Same first population: the best fitness with realism (clip + 0.05 * p, p > 0) beats CLIP
    // alone.
    assertThat(withRealism.get(0).loss()).isLessThan(clipAlone.get(0).loss());
  }

  @Test
  void evolve_worksOnStyleGanToo() {
    GenerationResult result =
        run(
            new GenerationRequest(
                PromptParser.parse("a face"), "tiny-stylegan", Strategy.EVOLVE, 2, 3));

    assertThat(Png.decode(result.png()).getWidth()).isEqualTo(64);
    assertThat(result.steps()).isEqualTo(2);
  }

  @Test
  void imagePrompt_joinsTheLoss_andIsPartOfWhatMakesTheImage() {
    byte[] target = run(request("a red apple", Strategy.SEARCH, 3, 30)).png();
    GenerationRequest textOnly = request("a lighthouse", Strategy.ADAM, 3, 31);
    GenerationRequest withImage =
        textOnly.withImages(List.of(new org.imaginebot.request.ImagePrompt(target, 2.0)));
    List<Progress> steps = new ArrayList<>();
    List<Progress> textSteps = new ArrayList<>();

    GenerationResult plain = engine.generate(textOnly, textSteps::add, new CancellationSignal());
    GenerationResult guided = engine.generate(withImage, steps::add, new CancellationSignal());

    assertThat(guided.png()).isNotEqualTo(plain.png());
    assertThat(steps.get(0).loss())
        .as("the image's similarity is in the loss")
        .isNotEqualTo(textSteps.get(0).loss());
    assertThat(run(withImage).png()).isEqualTo(guided.png());
  }

  @Test
  void auto_searchesAQuarterOfTheSteps_thenRefinesTheBestWithAdam() {
    List<Progress> steps = new ArrayList<>();
    GenerationRequest request = request("a lighthouse in a storm", Strategy.AUTO, 8, 6);

    GenerationResult result = engine.generate(request, steps::add, new CancellationSignal());

    assertThat(steps).extracting(Progress::step).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(steps).extracting(Progress::total).containsOnly(8);
    assertThat(result.bestStep()).isBetween(3, 8); // the refined run's best (steps 3..8 are adam's)
    assertThat(result.clipScore()).isEqualTo(steps.get(result.bestStep() - 1).clipScore());
    assertThat(run(request).png()).isEqualTo(result.png());
  }

  @Test
  void stylegan_adam_optimizesW_reproducibly() {
    List<Progress> steps = new ArrayList<>();
    GenerationRequest request =
        new GenerationRequest(
            PromptParser.parse("a face with blonde hair"), "tiny-stylegan", Strategy.ADAM, 4, 4);

    GenerationResult result = engine.generate(request, steps::add, new CancellationSignal());
    GenerationResult again = run(request);

    assertThat(steps).extracting(Progress::step).containsExactly(1, 2, 3, 4);
    assertThat(steps)
        .extracting(Progress::loss)
        .as("w moves, so the loss changes")
        .doesNotHaveDuplicates();
    assertThat(Png.decode(result.png()).getWidth()).isEqualTo(64);
    assertThat(again.png()).isEqualTo(result.png());
    assertThat(run(request.withSeed(5, true)).png()).isNotEqualTo(result.png());
  }

  @Test
  void stylegan_search_keepsTheBestOfTheCandidates() {
    List<Progress> steps = new ArrayList<>();
    GenerationResult result =
        engine.generate(
            new GenerationRequest(
                PromptParser.parse("a church"), "tiny-stylegan", Strategy.SEARCH, 5, 2),
            steps::add,
            new CancellationSignal());

    assertThat(result.clipScore())
        .isEqualTo(steps.stream().mapToDouble(Progress::clipScore).max().orElseThrow());
    assertThat(steps.get(result.bestStep() - 1).clipScore()).isEqualTo(result.clipScore());
  }
}
