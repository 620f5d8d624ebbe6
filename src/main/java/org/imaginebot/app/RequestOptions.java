package org.imaginebot.app;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.SeedSource;
import org.imaginebot.request.Strategy;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What to draw, as {@code generate} and {@code submit} take it on the command line. */
final class RequestOptions {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PROMPT",
      description =
          "What to draw. Several prompts with weights: \"a lighthouse | oil painting:0.5\"; a negative weight steers away.")
  String prompt;

  @Option(
      names = "--no",
      paramLabel = "TEXT",
      description = "A negative prompt (weight -1); repeatable.")
  List<String> negatives = new ArrayList<>();

  @Option(
      names = "--model",
      paramLabel = "ID",
      description = "Model id from the manifest (default: engine.defaultModel).")
  String model;

  @Option(
      names = "--strategy",
      paramLabel = "NAME",
      description =
          "adam (Big Sleep optimization) or search (top-k class search); default: engine.defaultStrategy.")
  String strategy;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "Optimizer steps (adam) or candidates (search), 1..engine.maxSteps; default: engine.defaultSteps.")
  Integer steps;

  @Option(
      names = "--seed",
      paramLabel = "N|random",
      description =
          "Seed of every random choice; the same seed gives the same image and is served from the cache. Default: derived from the request (cache.seedFromPrompt), so the same command twice is answered from the cache; random: a new image.")
  String seed;

  @Option(
      names = "--size",
      paramLabel = "PX",
      description = "Side of the output image in pixels, 16..2048 (default: the model's own size).")
  Integer size;

  @Option(
      names = "--grid",
      paramLabel = "N",
      description =
          "4: a contact sheet of 4 seeds (the seed and the next three), each run for a quarter of the steps, shown 2x2; refine one with --from SHEET.png --pick N. Needs --strategy adam.")
  Integer grid;

  /** True when any of these options or the prompt was given. */
  boolean anyGiven() {
    return prompt != null
        || !negatives.isEmpty()
        || model != null
        || strategy != null
        || steps != null
        || seed != null
        || size != null
        || grid != null;
  }

  /** True when nothing but {@code --steps} was given (what {@code --pick} takes). */
  boolean onlySteps() {
    return steps != null
        && prompt == null
        && negatives.isEmpty()
        && model == null
        && strategy == null
        && seed == null
        && size == null
        && grid == null;
  }

  /**
   * The request these options ask for, without image prompts.
   *
   * @param missingPrompt what to say when there is no prompt
   */
  GenerationRequest request(EngineConfig engine, boolean seedFromPrompt, String missingPrompt) {
    if (prompt == null) {
      throw new IllegalArgumentException(missingPrompt);
    }
    int stepCount = steps == null ? engine.defaultSteps() : steps;
    if (stepCount < 1 || stepCount > engine.maxSteps()) {
      throw new IllegalArgumentException(
          "--steps must be between 1 and "
              + engine.maxSteps()
              + " (engine.maxSteps), got "
              + stepCount);
    }
    if (grid != null && grid != 1 && grid != GenerationRequest.GRID) {
      throw new IllegalArgumentException(
          "--grid takes " + GenerationRequest.GRID + " (a contact sheet of 4 seeds), got " + grid);
    }
    Strategy chosen = Strategy.parse(strategy == null ? engine.defaultStrategy() : strategy);
    boolean sheet = grid != null && grid == GenerationRequest.GRID;
    if (sheet && chosen != Strategy.ADAM) {
      throw new IllegalArgumentException(
          "--grid 4 makes a contact sheet of adam runs (so --pick can refine one): use --strategy"
              + " adam, or leave out --grid");
    }
    SeedSource source =
        seed == null
            ? (seedFromPrompt ? SeedSource.DERIVED : SeedSource.RANDOM)
            : seed.strip().equalsIgnoreCase("random") ? SeedSource.RANDOM : SeedSource.TYPED;
    return new GenerationRequest(
        PromptParser.withNegatives(PromptParser.parse(prompt), negatives),
        model == null ? engine.defaultModel() : model,
        chosen,
        stepCount,
        // 53 bits, like the seeds chat users can type, so a printed seed can always be asked for
        // again.
        source == SeedSource.TYPED ? typedSeed() : new SecureRandom().nextLong() >>> 11,
        size == null ? GenerationRequest.NATIVE_SIZE : size,
        source,
        0,
        List.of(),
        sheet ? GenerationRequest.GRID : 0,
        null,
        0);
  }

  private long typedSeed() {
    try {
      return Long.parseLong(seed.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--seed needs a whole number or 'random', got '" + seed + "'", e);
    }
  }
}
