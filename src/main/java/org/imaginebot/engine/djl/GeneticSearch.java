package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;

/**
 * The {@code evolve} strategy (seed 004, CLIP-GLaSS): a genetic algorithm over the generator's
 * input genes, gradient-free, so it works with every generator. Each step is one generation: score
 * every individual by CLIP, keep the elite, fill the rest by tournament selection, uniform
 * crossover and Gaussian mutation, genes clipped to [-2, 2].
 *
 * <p>Objectives: the whole image's CLIP score, plus, when the generator's manifest entry has a
 * {@code discriminator} file, {@value #REALISM_WEIGHT} times its realism probability: a weighted
 * sum (not Pareto), so one individual is best and the result is one image. CLIP cosines spread over
 * a few hundredths, so the realism term breaks ties and steers away from garbage without swamping
 * the prompt.
 *
 * <p>Hand-written rather than Jenetics: the population must come from the request's seed alone
 * (reproducible images, honest cache) and be scored one image at a time through libtorch with
 * progress and cancellation between generations; this loop is about as long as that wiring.
 */
final class GeneticSearch {

  /** GA settings. */
  record Settings(
      int population, int elite, int tournament, double mutationRate, double mutationSigma) {
    Settings {
      if (population < 4
          || elite < 1
          || elite >= population
          || tournament < 2
          || mutationRate < 0
          || mutationSigma <= 0) {
        throw new IllegalArgumentException("bad genetic settings: " + this);
      }
    }

    /** Population 32, elite 2, tournaments of 3, 10% of genes mutated with sigma 0.3. */
    static Settings defaults(int population) {
      return new Settings(population, 2, 3, 0.1, 0.3);
    }
  }

  /**
   * Sees each generation once it is scored, before the next is bred: for fidelity and property
   * tests. The arrays are the search's own; an observer must not change them.
   */
  @FunctionalInterface
  interface GenerationObserver {
    void scored(int generation, float[][] population, double[] fitness);
  }

  static final float GENE_BOUND = 2f;
  static final double REALISM_WEIGHT = 0.05;

  private final ClipModel clip;
  private final LatentGenerator generator;
  private final Settings settings;
  private final int previewEvery;
  private final Discriminator discriminator; // null: CLIP alone

  /**
   * @param discriminator the second objective, or null for CLIP alone
   */
  GeneticSearch(
      ClipModel clip,
      LatentGenerator generator,
      Settings settings,
      int previewEvery,
      Discriminator discriminator) {
    this.clip = clip;
    this.generator = generator;
    this.settings = settings;
    this.previewEvery = previewEvery;
    this.discriminator = discriminator;
  }

  /**
   * Runs {@code generations} generations.
   *
   * @return the best individual ever seen
   */
  GenerationResult run(
      NDManager run,
      PromptTargets targets,
      Random random,
      int generations,
      ProgressListener listener,
      CancellationSignal cancel) {
    return run(run, targets, random, generations, listener, cancel, (g, p, f) -> {});
  }

  /** Like {@link #run}, telling {@code observer} about every scored generation. */
  GenerationResult run(
      NDManager run,
      PromptTargets targets,
      Random random,
      int generations,
      ProgressListener listener,
      CancellationSignal cancel,
      GenerationObserver observer) {
    long started = System.nanoTime();
    float[][] population = new float[settings.population()][];
    for (int i = 0; i < population.length; i++) {
      population[i] = generator.randomGenome(random);
    }
    float[] best = null;
    double bestFitness = Double.NEGATIVE_INFINITY;
    double bestClip = Double.NaN;
    double firstClip = Double.NaN;
    int bestStep = 0;
    for (int generation = 1; generation <= generations; generation++) {
      cancel.throwIfCancelled(generation - 1);
      double[] clipScores = new double[population.length];
      double[] fitness = score(run, targets, population, clipScores);
      Integer[] order = ranking(fitness);
      observer.scored(generation, population, fitness);
      if (generation == 1) {
        firstClip = clipScores[order[0]];
      }
      if (fitness[order[0]] > bestFitness) {
        bestFitness = fitness[order[0]];
        bestClip = clipScores[order[0]];
        best = population[order[0]].clone();
        bestStep = generation;
      }
      byte[] preview =
          generation % previewEvery == 0 || generation == generations ? png(run, best) : null;
      listener.onProgress(
          new Progress(
              generation,
              generations,
              -PromptTargets.LOSS_COEFFICIENT * fitness[order[0]],
              clipScores[order[0]],
              preview));
      if (generation < generations) {
        population = nextGeneration(population, fitness, order, random);
      }
    }
    return new GenerationResult(
        png(run, best),
        bestClip,
        bestStep,
        firstClip,
        generations,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Each individual's fitness; its CLIP score alone goes to {@code clipScores}. */
  private double[] score(
      NDManager run, PromptTargets targets, float[][] population, double[] clipScores) {
    double[] fitness = new double[population.length];
    for (int i = 0; i < population.length; i++) {
      try (NDManager scratch = run.newSubManager()) {
        NDArray image = generator.renderGenome(scratch, population[i]);
        clipScores[i] = targets.wholeImageScore(clip, image);
        fitness[i] =
            clipScores[i]
                + (discriminator == null ? 0 : REALISM_WEIGHT * discriminator.realism(image));
      }
    }
    return fitness;
  }

  private float[][] nextGeneration(
      float[][] population, double[] scores, Integer[] order, Random random) {
    float[][] next = new float[population.length][];
    for (int i = 0; i < settings.elite(); i++) {
      next[i] = population[order[i]].clone();
    }
    for (int i = settings.elite(); i < next.length; i++) {
      float[] mother = population[tournament(scores, random)];
      float[] father = population[tournament(scores, random)];
      float[] child = new float[mother.length];
      for (int g = 0; g < child.length; g++) {
        float gene = random.nextBoolean() ? mother[g] : father[g];
        if (random.nextDouble() < settings.mutationRate()) {
          gene += (float) (settings.mutationSigma() * random.nextGaussian());
        }
        child[g] = Math.max(-GENE_BOUND, Math.min(GENE_BOUND, gene));
      }
      next[i] = child;
    }
    return next;
  }

  /** The best of {@code tournament} individuals drawn at random (with replacement). */
  private int tournament(double[] scores, Random random) {
    int winner = random.nextInt(scores.length);
    for (int k = 1; k < settings.tournament(); k++) {
      int rival = random.nextInt(scores.length);
      if (scores[rival] > scores[winner]) {
        winner = rival;
      }
    }
    return winner;
  }

  private static Integer[] ranking(double[] scores) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(
        order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
    return order;
  }

  private byte[] png(NDManager run, float[] genes) {
    try (NDManager scratch = run.newSubManager()) {
      return Images.toPng(generator.renderGenome(scratch, genes));
    }
  }
}
