package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.imaginebot.app.Cli.Outcome;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.provenance.RunStateChunk;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ImagePrompt;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} through the real command line, engine and tiny models. */
final class GenerateCommandTest {

  @TempDir Path dir;

  private Outcome cli(String... args) {
    return cliWithCache(dir.resolve("cache"), args);
  }

  private static Outcome cliWithCache(Path cacheDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--set", "engine.cutouts=4", "--set", "cache.diskDir=" + cacheDir));
    return Cli.run(all);
  }

  @Test
  void generate_sameSeedTwice_secondIsServedFromTheDiskCache_otherSeedDiffers() throws IOException {
    Path first = dir.resolve("first.png");
    Path second = dir.resolve("second.png");
    Path fresh = dir.resolve("fresh.png");
    Path other = dir.resolve("other.png");

    Outcome run =
        cli(
            "generate",
            "a lighthouse",
            "--model",
            "tiny",
            "--strategy",
            "adam",
            "--steps",
            "6",
            "--seed",
            "1",
            "--out",
            first.toString());
    Outcome again =
        cli(
            "generate",
            "a  Lighthouse ",
            "--model",
            "tiny",
            "--strategy",
            "adam",
            "--steps",
            "6",
            "--seed",
            "1",
            "--out",
            second.toString());
    Outcome rerun =
        cliWithCache(
            dir.resolve("empty-cache"),
            "generate",
            "a lighthouse",
            "--model",
            "tiny",
            "--strategy",
            "adam",
            "--steps",
            "6",
            "--seed",
            "1",
            "--out",
            fresh.toString());
    cli(
        "generate",
        "a lighthouse",
        "--model",
        "tiny",
        "--strategy",
        "adam",
        "--steps",
        "6",
        "--seed",
        "2",
        "--out",
        other.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("6/6")
        .contains("wrote " + first)
        .contains("seed 1")
        .doesNotContain("cached");
    assertThat(Png.decode(Files.readAllBytes(first)).getWidth()).isEqualTo(64);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first)))
        .as("readable like any new file")
        .startsWith("rw-r");
    // Each Main.run builds a new cache, so the hit comes from disk (L2), as in a second process.
    assertThat(again.out()).contains("cached: wrote " + second).doesNotContain("1/6");
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    assertThat(rerun.out())
        .as("a run without the cache reproduces the image")
        .contains("6/6")
        .doesNotContain("cached");
    assertThat(Files.readAllBytes(fresh)).isEqualTo(Files.readAllBytes(first));
    assertThat(Files.readAllBytes(other)).isNotEqualTo(Files.readAllBytes(first));
  }

  @Test
  void generate_withoutSeed_sameCommandTwice_secondIsAnsweredFromTheCacheWithTheSameSeed()
      throws IOException {
    Outcome first =
        cli(
            "generate",
            "a lighthouse",
            "--strategy",
            "search",
            "--steps",
            "2",
            "--out",
            dir.resolve("a.png").toString());
    Outcome second =
        cli(
            "generate",
            "a lighthouse",
            "--strategy",
            "search",
            "--steps",
            "2",
            "--out",
            dir.resolve("b.png").toString());

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("2/2").doesNotContain("cached");
    assertThat(second.out())
        .contains("cached: wrote " + dir.resolve("b.png"))
        .doesNotContain("2/2");
    assertThat(seedOf(second.out())).isEqualTo(seedOf(first.out()));
    assertThat(Files.readAllBytes(dir.resolve("b.png")))
        .isEqualTo(Files.readAllBytes(dir.resolve("a.png")));
  }

  @Test
  void generate_seedRandom_orSeedFromPromptOff_runsAgainWithANewSeed() {
    Outcome first =
        cli(
            "generate",
            "a lighthouse",
            "--strategy",
            "search",
            "--steps",
            "2",
            "--out",
            dir.resolve("a.png").toString());
    Outcome random =
        cli(
            "generate",
            "a lighthouse",
            "--strategy",
            "search",
            "--steps",
            "2",
            "--seed",
            "random",
            "--out",
            dir.resolve("b.png").toString());
    Outcome settingOff =
        cli(
            "generate",
            "a lighthouse",
            "--strategy",
            "search",
            "--steps",
            "2",
            "--set",
            "cache.seedFromPrompt=false",
            "--out",
            dir.resolve("c.png").toString());

    assertThat(random.code()).as(random.err()).isZero();
    assertThat(random.out()).contains("2/2").doesNotContain("cached");
    assertThat(seedOf(random.out())).isNotEqualTo(seedOf(first.out()));
    assertThat(settingOff.out()).contains("2/2").doesNotContain("cached");
    assertThat(seedOf(settingOff.out())).isNotEqualTo(seedOf(first.out()));
  }

  @Test
  void generate_size_scalesTheOutput() throws IOException {
    Path out = dir.resolve("big.png");

    Outcome run =
        cli(
            "generate",
            "a lighthouse",
            "--strategy",
            "search",
            "--steps",
            "2",
            "--seed",
            "4",
            "--size",
            "96",
            "--out",
            out.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Png.decode(Files.readAllBytes(out)).getWidth()).isEqualTo(96);
    assertThat(cli("generate", "a lighthouse", "--size", "9999").err())
        .contains("size must be between 16 and 2048 pixels, got 9999");
  }

  @Test
  void generate_timelapse_writesAnAnimatedGifOfThePreviews_evenWhenTheImageIsCached()
      throws IOException {
    Path gif = dir.resolve("run.gif");
    cli(
        "generate",
        "a lighthouse",
        "--strategy",
        "search",
        "--steps",
        "6",
        "--seed",
        "8",
        "--out",
        dir.resolve("a.png").toString());

    Outcome run =
        cli(
            "generate",
            "a lighthouse",
            "--strategy",
            "search",
            "--steps",
            "6",
            "--seed",
            "8",
            "--preview-every",
            "2",
            "--out",
            dir.resolve("b.png").toString(),
            "--timelapse",
            gif.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("6/6").contains("wrote " + gif + " (4 frames");
    byte[] bytes = Files.readAllBytes(gif);
    assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
    assertThat(Files.readAllBytes(dir.resolve("b.png")))
        .isEqualTo(Files.readAllBytes(dir.resolve("a.png")));
  }

  @Test
  void generate_imagePrompt_steersTheImage_andABadFileIsRefused() throws IOException {
    Path target = dir.resolve("target.png");
    cli(
        "generate",
        "a red apple",
        "--strategy",
        "search",
        "--steps",
        "2",
        "--seed",
        "1",
        "--out",
        target.toString());

    Outcome plain =
        cli(
            "generate",
            "a lighthouse",
            "--steps",
            "2",
            "--seed",
            "2",
            "--out",
            dir.resolve("plain.png").toString());
    Outcome guided =
        cli(
            "generate",
            "a lighthouse",
            "--steps",
            "2",
            "--seed",
            "2",
            "--image",
            target + ":2",
            "--out",
            dir.resolve("guided.png").toString());
    Outcome missing =
        cli("generate", "a lighthouse", "--image", dir.resolve("nope.png").toString());
    Files.writeString(dir.resolve("text.png"), "not an image");
    Outcome notImage =
        cli("generate", "a lighthouse", "--image", dir.resolve("text.png").toString());

    assertThat(guided.code()).as(guided.err()).isZero();
    assertThat(guided.out()).doesNotContain("cached");
    assertThat(Files.readAllBytes(dir.resolve("guided.png")))
        .isNotEqualTo(Files.readAllBytes(dir.resolve("plain.png")));
    assertThat(plain.code()).isZero();
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("--image " + dir.resolve("nope.png") + ": no such file");
    assertThat(notImage.err()).contains("not a PNG or JPEG image");
  }

  @Test
  void generate_styleganWithEveryStrategy_writesItsImage() throws IOException {
    for (String strategy : List.of("adam", "search", "auto", "evolve")) {
      Path out = dir.resolve("stylegan-" + strategy + ".png");

      Outcome run =
          cli(
              "generate",
              "a face",
              "--model",
              "tiny-stylegan",
              "--strategy",
              strategy,
              "--steps",
              "2",
              "--seed",
              "5",
              "--out",
              out.toString());

      assertThat(run.code()).as(strategy + ": " + run.err()).isZero();
      assertThat(run.out()).contains("with " + strategy + " on tiny-stylegan");
      assertThat(Png.decode(Files.readAllBytes(out)).getWidth()).isEqualTo(64);
    }
  }

  @Test
  void generate_autoAndEvolveOnBigGan_writeTheirImages() throws IOException {
    for (String strategy : List.of("auto", "evolve")) {
      Path out = dir.resolve("biggan-" + strategy + ".png");

      Outcome run =
          cli(
              "generate",
              "a lighthouse",
              "--strategy",
              strategy,
              "--steps",
              "4",
              "--seed",
              "5",
              "--out",
              out.toString());

      assertThat(run.code()).as(strategy + ": " + run.err()).isZero();
      assertThat(run.out()).contains("4/4");
      assertThat(Png.decode(Files.readAllBytes(out)).getWidth()).isEqualTo(64);
    }
  }

  @Test
  void generate_from_remakesTheImageByteForByte_andACacheHitCarriesTheParametersToo()
      throws IOException {
    Path made = dir.resolve("made.png");
    Path again = dir.resolve("again.png");
    Path cached = dir.resolve("cached.png");
    String[] generate = {
      "generate",
      "a lighthouse | oil painting:0.5",
      "--no",
      "blurry",
      "--steps",
      "3",
      "--seed",
      "9",
      "--size",
      "48"
    };
    Outcome first = cli(concat(generate, "--out", made.toString()));

    Outcome remade =
        cliWithCache(
            dir.resolve("other-cache"),
            "generate",
            "--from",
            made.toString(),
            "--out",
            again.toString());
    Outcome hit = cli(concat(generate, "--out", cached.toString()));

    assertThat(first.code()).as(first.err()).isZero();
    Provenance recorded = Provenance.read(Files.readAllBytes(made)).orElseThrow();
    assertThat(recorded.request().describePrompt())
        .isEqualTo("a lighthouse | oil painting:0.5 | blurry:-1.0");
    assertThat(recorded.request().seed()).isEqualTo(9);
    assertThat(recorded.request().size()).isEqualTo(48);
    assertThat(recorded.engine().files()).containsKey("tiny/generator");
    assertThat(remade.code()).as(remade.err()).isZero();
    assertThat(remade.out())
        .contains("re-making " + made, "3/3", "seed 9", "identical to " + made)
        .doesNotContain("cached");
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(made));
    assertThat(hit.out()).contains("cached: wrote");
    assertThat(Files.readAllBytes(cached)).isEqualTo(Files.readAllBytes(made));

    // A re-roll's PNG names its parent job; the re-make keeps that name, so it is still identical
    Path child = dir.resolve("child.png");
    Path childAgain = dir.resolve("child-again.png");
    Files.write(child, Provenance.withParentJob(Files.readAllBytes(made), "parent-job-1"));
    Outcome childRemade =
        cliWithCache(
            dir.resolve("third-cache"),
            "generate",
            "--from",
            child.toString(),
            "--out",
            childAgain.toString());
    assertThat(childRemade.code()).as(childRemade.err()).isZero();
    assertThat(childRemade.out()).contains("identical to " + child);
    assertThat(Files.readAllBytes(childAgain)).isEqualTo(Files.readAllBytes(child));
    assertThat(Provenance.read(Files.readAllBytes(childAgain)).orElseThrow().parentJob())
        .isEqualTo("parent-job-1");
  }

  @Test
  void generate_continue_goesOnFromTheImagesRun_andTheResultCanBeContinuedAndRemade()
      throws IOException {
    Path made = dir.resolve("made.png");
    Path more = dir.resolve("more.png");
    Path five = dir.resolve("five.png");
    Path evenMore = dir.resolve("even-more.png");
    Path again = dir.resolve("again.png");
    String[] generate = {
      "generate",
      "a lighthouse | oil painting:0.5",
      "--strategy",
      "adam",
      "--seed",
      "9",
      "--size",
      "48"
    };
    Outcome first = cli(concat(generate, "--steps", "3", "--out", made.toString()));

    Outcome continued =
        cli("generate", "--from", made.toString(), "--continue", "2", "--out", more.toString());

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(continued.code()).as(continued.err()).isZero();
    assertThat(continued.out())
        .contains(
            "continuing " + made + " from step 3 for 2 more steps",
            "5 steps",
            "5/5",
            "continued " + made + " from step 3 to step 5");
    byte[] morePng = Files.readAllBytes(more);
    Provenance recorded = Provenance.read(morePng).orElseThrow();
    assertThat(recorded.request().steps()).isEqualTo(5);
    assertThat(recorded.request().seed()).isEqualTo(9);
    assertThat(recorded.continuedFromSteps()).isEqualTo(3);
    assertThat(Png.text(morePng, "imagine-bot").orElseThrow())
        .endsWith(",\"continued_from_steps\":3}");
    assertThat(RunStateChunk.read(morePng).orElseThrow().step()).isEqualTo(5);
    assertThat(Png.decode(morePng).getWidth()).isEqualTo(48);
    System.out.printf(
        "state chunk: %d bytes of state, PNG %d bytes (%d without it)%n",
        RunStateChunk.read(morePng).orElseThrow().toBytes().length,
        morePng.length,
        Png.withText(morePng, RunStateChunk.KEYWORD, "").length);

    // 3 steps, then 2 more, is a run of 5 steps: the same bytes but for continued_from_steps
    Outcome direct =
        cliWithCache(
            dir.resolve("other-cache"), concat(generate, "--steps", "5", "--out", five.toString()));
    assertThat(direct.code()).as(direct.err()).isZero();
    byte[] fivePng = Files.readAllBytes(five);
    assertThat(morePng)
        .isEqualTo(Provenance.read(fivePng).orElseThrow().withContinuedFromSteps(3).stamp(fivePng));

    // It can be continued again, and re-made byte for byte
    Outcome twice =
        cli("generate", "--from", more.toString(), "--continue", "1", "--out", evenMore.toString());
    Outcome remade =
        cliWithCache(
            dir.resolve("third-cache"),
            "generate",
            "--from",
            more.toString(),
            "--out",
            again.toString());
    assertThat(twice.code()).as(twice.err()).isZero();
    byte[] evenMorePng = Files.readAllBytes(evenMore);
    assertThat(Provenance.read(evenMorePng).orElseThrow().request().steps()).isEqualTo(6);
    assertThat(Provenance.read(evenMorePng).orElseThrow().continuedFromSteps()).isEqualTo(5);
    assertThat(RunStateChunk.read(evenMorePng).orElseThrow().step()).isEqualTo(6);
    assertThat(remade.code()).as(remade.err()).isZero();
    assertThat(remade.out()).contains("identical to " + more);
    assertThat(Files.readAllBytes(again)).isEqualTo(morePng);
  }

  @Test
  void generate_grid_writesAContactSheet_andPickRefinesOneCandidateFromWhereItStopped()
      throws IOException {
    Path sheet = dir.resolve("sheet.png");
    Path refined = dir.resolve("refined.png");
    Path direct = dir.resolve("direct.png");
    Path remade = dir.resolve("remade.png");

    Outcome made =
        cli(
            "generate",
            "a lighthouse",
            "--grid",
            "4",
            "--steps",
            "8",
            "--seed",
            "30",
            "--out",
            sheet.toString());
    Outcome picked =
        cli(
            "generate",
            "--from",
            sheet.toString(),
            "--pick",
            "3",
            "--steps",
            "4",
            "--out",
            refined.toString());

    assertThat(made.code()).as(made.err()).isZero();
    byte[] sheetPng = Files.readAllBytes(sheet);
    assertThat(Provenance.read(sheetPng).orElseThrow().request().grid()).isEqualTo(4);
    assertThat(picked.code()).as(picked.err()).isZero();
    assertThat(picked.out())
        .contains("refining candidate 3 of " + sheet + " (seed 32) from step 2 for 4 more steps");
    // Candidate 3 is seed 30 + 2 run for 8 / 4 = 2 steps; refined by 4 it is the 6-step image of
    // seed 32, which a plain run in an empty cache makes byte for byte.
    Outcome plain =
        cliWithCache(
            dir.resolve("other-cache"),
            "generate",
            "a lighthouse",
            "--steps",
            "6",
            "--seed",
            "32",
            "--out",
            direct.toString());
    assertThat(plain.code()).as(plain.err()).isZero();
    byte[] refinedPng = Files.readAllBytes(refined);
    assertThat(refinedPng).isEqualTo(Files.readAllBytes(direct));
    assertThat(Png.decode(sheetPng).getWidth()).isEqualTo(2 * Png.decode(refinedPng).getWidth());
    // The sheet is re-made byte for byte from its parameters, like any image.
    Outcome again =
        cliWithCache(
            dir.resolve("third-cache"),
            "generate",
            "--from",
            sheet.toString(),
            "--out",
            remade.toString());
    assertThat(again.out()).contains("identical to " + sheet);

    assertThat(cli("generate", "--from", direct.toString(), "--pick", "1").err())
        .contains("is one image, not a contact sheet");
    assertThat(cli("generate", "--from", sheet.toString(), "--pick", "5").err())
        .contains("--pick takes 1 to 4");
    assertThat(cli("generate", "a lighthouse", "--grid", "4", "--strategy", "search").err())
        .contains("--grid 4 makes a contact sheet of adam runs");
    assertThat(cli("generate", "a lighthouse", "--grid", "3").err()).contains("--grid takes 4");
  }

  @Test
  void generate_continue_refusesWhatItCannotContinue_sayingWhy() throws IOException {
    Path adam = dir.resolve("adam.png");
    Path search = dir.resolve("search.png");
    Path garbled = dir.resolve("garbled.png");
    Path damaged = dir.resolve("damaged.png");
    Path out = dir.resolve("out.png");
    assertThat(
            cli(
                    "generate",
                    "a dog",
                    "--strategy",
                    "adam",
                    "--steps",
                    "2",
                    "--seed",
                    "1",
                    "--out",
                    adam.toString())
                .code())
        .isZero();
    assertThat(
            cli(
                    "generate",
                    "a dog",
                    "--strategy",
                    "search",
                    "--steps",
                    "2",
                    "--seed",
                    "1",
                    "--out",
                    search.toString())
                .code())
        .isZero();
    byte[] adamPng = Files.readAllBytes(adam);
    Files.write(garbled, Png.withText(adamPng, RunStateChunk.KEYWORD, "not base64!"));
    String stateText = Png.text(adamPng, RunStateChunk.KEYWORD).orElseThrow();
    Files.write(
        damaged,
        Png.withText(
            adamPng,
            RunStateChunk.KEYWORD,
            stateText.substring(0, 100)
                + (stateText.charAt(100) == 'A' ? 'B' : 'A')
                + stateText.substring(101)));

    Outcome noState = cli("generate", "--from", search.toString(), "--continue", "2");
    Outcome notBase64 = cli("generate", "--from", garbled.toString(), "--continue", "2");
    Outcome badState = cli("generate", "--from", damaged.toString(), "--continue", "2");
    Outcome zero = cli("generate", "--from", adam.toString(), "--continue", "0");
    Outcome tooMany = cli("generate", "--from", adam.toString(), "--continue", "1001");
    Outcome noFrom = cli("generate", "a dog", "--continue", "2");

    for (Outcome refused : List.of(noState, notBase64, badState, zero, tooMany, noFrom)) {
      assertThat(refused.code()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err()).doesNotContain("Exception", "\tat ");
    }
    assertThat(noState.err())
        .contains(
            search
                + " has no run state to continue: it was made by search/auto/evolve or before"
                + " continuing existed; only adam images can be continued");
    assertThat(notBase64.err()).contains(garbled + ": its run state is damaged");
    assertThat(badState.err()).contains(damaged + ": its run state is damaged", "checksum");
    assertThat(zero.err())
        .contains("--continue takes 1 to 1000 more steps (engine.maxSteps), got 0");
    assertThat(tooMany.err()).contains("got 1001");
    assertThat(noFrom.err()).contains("--continue N goes with --from FILE.png");
    assertThat(out).doesNotExist();
  }

  @Test
  void generate_from_refusesWhatItCannotMakeAgain_sayingWhy() throws IOException {
    EngineConfig config =
        ConfigLoader.load(
                Path.of("config/application.yaml"), Map.of(), Map.of("engine.cutouts", "4"))
            .engine();
    EngineFingerprint engine =
        EngineFingerprint.of(
            config, ModelManifest.load(config.manifest(), config.modelsDir()), "tiny");
    GenerationRequest request =
        new GenerationRequest(List.of(new WeightedPrompt("a cat", 1)), "tiny", Strategy.ADAM, 2, 3);
    byte[] plain = Png.encode(new java.awt.image.BufferedImage(8, 8, 1));
    Map<String, String> otherFiles = new java.util.TreeMap<>(engine.files());
    otherFiles.put("tiny/generator", "0123456789ab" + "0".repeat(52));
    Path stripped = write("stripped.png", plain);
    Path otherGenerator =
        write(
            "other-generator.png",
            Provenance.of(request, withFiles(engine, otherFiles)).stamp(plain));
    Path unknownModel =
        write(
            "unknown-model.png",
            Provenance.of(
                    new GenerationRequest(
                        List.of(new WeightedPrompt("a cat", 1)), "huge", Strategy.ADAM, 2, 3),
                    engine)
                .stamp(plain));
    Path otherCutouts =
        write(
            "other-cutouts.png",
            Provenance.of(
                    request,
                    new EngineFingerprint(
                        engine.revision(),
                        8,
                        engine.learningRate(),
                        engine.truncation(),
                        engine.styleTruncation(),
                        engine.searchTopK(),
                        engine.files()))
                .stamp(plain));
    Path good = write("good.png", Provenance.of(request, engine).stamp(plain));
    ImagePrompt imagePrompt = new ImagePrompt(plain, 2);
    Path withImage =
        write(
            "with-image.png",
            Provenance.of(request.withImages(List.of(imagePrompt)), engine).stamp(plain));

    Outcome none = cli("generate", "--from", stripped.toString());
    Outcome files = cli("generate", "--from", otherGenerator.toString());
    Outcome model = cli("generate", "--from", unknownModel.toString());
    Outcome settings = cli("generate", "--from", otherCutouts.toString());
    Outcome withPrompt = cli("generate", "a dog", "--from", good.toString());
    Outcome neither = cli("generate");
    Outcome noImage = cli("generate", "--from", withImage.toString());

    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err())
        .isEqualTo(
            "error: "
                + stripped
                + " has no imagine-bot parameters; it was not made by this bot or its metadata was"
                + " stripped\n");
    assertThat(files.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(files.err())
        .contains(
            "tiny/generator sha256 0123456789ab… (the manifest has "
                + engine.files().get("tiny/generator").substring(0, 12),
            "the result would differ")
        .doesNotContain("tiny-clip");
    assertThat(model.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(model.err()).contains("was made with model 'huge', which the manifest");
    assertThat(settings.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(settings.err())
        .contains(
            "was made with engine.cutouts=8 (here 4); the result would differ. Add --set"
                + " engine.cutouts=8");
    assertThat(withPrompt.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(withPrompt.err()).contains("--from takes the prompt and settings from the image");
    assertThat(neither.err()).contains("give a PROMPT, or --from FILE.png");
    assertThat(noImage.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noImage.err())
        .contains(
            "image prompts that were not given: sha256 " + imagePrompt.sha256() + " (weight 2.0)",
            "pass each image with --image FILE");
    for (Outcome refused : List.of(none, files, model, settings, withPrompt, neither, noImage)) {
      assertThat(refused.out()).doesNotContain("generating");
    }
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static EngineFingerprint withFiles(EngineFingerprint e, Map<String, String> files) {
    return new EngineFingerprint(
        e.revision(),
        e.cutouts(),
        e.learningRate(),
        e.truncation(),
        e.styleTruncation(),
        e.searchTopK(),
        files);
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static String seedOf(String output) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("seed (\\d+)").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return m.group(1);
  }

  @Test
  void generate_progressDir_writesPreviewsEveryN() throws IOException {
    Path previews = dir.resolve("previews");

    Outcome run =
        cli(
            "generate",
            "a red apple",
            "--strategy",
            "search",
            "--steps",
            "6",
            "--seed",
            "3",
            "--out",
            dir.resolve("a.png").toString(),
            "--progress-dir",
            previews.toString(),
            "--preview-every",
            "2");

    assertThat(run.code()).as(run.err()).isZero();
    try (Stream<Path> files = Files.list(previews)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("step-0002.png", "step-0004.png", "step-0006.png");
    }
  }

  @Test
  void generate_emptyPrompt_failsWithWhatToDo() {
    Outcome run = cli("generate", "  ", "--out", dir.resolve("x.png").toString());

    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: prompt may not be empty").hasLineCount(1);
  }

  @Test
  void generate_stepsOutOfRange_namesTheRange() {
    assertThat(cli("generate", "a cat", "--steps", "0").err())
        .contains("--steps must be between 1 and 1000")
        .contains("got 0");
    assertThat(cli("generate", "a cat", "--steps", "-1").err()).contains("got -1");
    Outcome tooMany = cli("generate", "a cat", "--steps", "5000");
    assertThat(tooMany.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(tooMany.err()).contains("engine.maxSteps").contains("got 5000");
  }

  @Test
  void generate_unknownModelOrStrategy_listsTheAllowedOnes() {
    Outcome model = cli("generate", "a cat", "--model", "huge");
    Outcome strategy = cli("generate", "a cat", "--strategy", "magic");

    assertThat(model.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(model.err()).contains("unknown model 'huge'").contains("tiny");
    assertThat(strategy.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(strategy.err())
        .contains("unknown strategy 'magic'; allowed: adam, search, auto, evolve");
  }

  @Test
  void generate_missingModelFile_saysWhichFileAndHowToGetIt() throws IOException {
    Path emptyModels = Files.createDirectory(dir.resolve("models"));

    Outcome run =
        cli(
            "generate",
            "a cat",
            "--steps",
            "2",
            "--out",
            dir.resolve("x.png").toString(),
            "--set",
            "engine.modelsDir=" + emptyModels);

    assertThat(run.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run.err()).contains("is missing").contains("make_tiny_models.py").hasLineCount(1);
  }

  @Test
  void generate_unwritableOut_failsBeforeRunning() {
    Outcome run =
        cli(
            "generate",
            "a cat",
            "--steps",
            "2",
            "--out",
            dir.resolve("no/such/dir/x.png").toString());

    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("does not exist").doesNotContain("generating");
    assertThat(run.out()).doesNotContain("generating");
  }

  @Test
  void generate_unknownFlag_isRefused() {
    Outcome run = cli("generate", "a cat", "--stpes", "3");

    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--stpes");
  }

  @Test
  void generate_help_documentsEveryFlag() {
    Outcome run = cli("generate", "--help");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains(
            "--model",
            "--strategy",
            "--steps",
            "--seed",
            "--out",
            "--progress-dir",
            "--preview-every",
            "--no",
            "--from",
            "--config",
            "--set");
  }
}
