package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.CpuKernels;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.WeightedPrompt;

/**
 * {@code bench engine}: our {@code adam} step against its limit, in the same process, interleaved
 * round by round. The limit is one TorchScript module ({@code scripts/export/bench_limit.py}) that
 * computes the same step — generator, the same cutouts, CLIP on all crops in one batch, Big Sleep's
 * loss and the gradients — in one call, with no Java between operations; Adam and the preview are
 * not in it, so they count as our overhead. Our step's phases are timed by {@link PhaseTimer}
 * inside {@link BigSleepOptimizer}, the code {@code generate} runs.
 */
public final class EngineStepBench {

  private static final long SEED = 7;
  private static final List<WeightedPrompt> PROMPTS =
      PromptParser.parse("a lighthouse in a storm | oil painting | blurry:-1");

  /**
   * One run's figures; times are the median over rounds of each round's mean ms per step.
   *
   * @param kernels the CPU kernels in use
   * @param limitMsPerStep NaN when no limit module was given
   * @param limitLossDeviation |limit loss - our loss| / |our loss| on the first step (same latents,
   *     same cutouts): shows the limit computes our step; NaN without a limit
   * @param liveArraysGrowth NDArrays held by the loaded models after the last round minus after the
   *     first (0: nothing leaks into them)
   * @param rssGrowthMb resident memory after the last round minus after the first, in MB
   * @param javaRoundsCpuMs per round, this process's CPU time per step of ours
   * @param limitRoundsCpuMs per round, this process's CPU time per step of the limit
   */
  public record Result(
      String model,
      int cutouts,
      int threads,
      CpuKernels kernels,
      int rounds,
      int steps,
      double javaMsPerStep,
      double limitMsPerStep,
      Map<String, Double> phasesMs,
      List<Double> javaRoundsMs,
      List<Double> limitRoundsMs,
      List<Double> javaRoundsCpuMs,
      List<Double> limitRoundsCpuMs,
      double limitLossDeviation,
      long liveArraysGrowth,
      double rssGrowthMb) {

    /**
     * How much slower our step is than the limit, in percent: the median over rounds of each
     * round's ratio (both ways run back to back in a round, so load from other processes that
     * drifts between rounds cancels); NaN without a limit.
     */
    public double overheadPct() {
      return pairedOverhead(javaRoundsMs, limitRoundsMs);
    }

    /**
     * {@link #overheadPct} by the process's CPU time instead of wall time: with one intra-op
     * thread, time the machine's other processes take from us does not count.
     */
    public double cpuOverheadPct() {
      return pairedOverhead(javaRoundsCpuMs, limitRoundsCpuMs);
    }

    private static double pairedOverhead(List<Double> ours, List<Double> limit) {
      if (limit.isEmpty()) {
        return Double.NaN;
      }
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < ours.size(); i++) {
        ratios.add(ours.get(i) / limit.get(i));
      }
      return (median(ratios) - 1) * 100;
    }
  }

  private EngineStepBench() {}

  /**
   * Times {@code rounds} rounds of {@code steps} steps each way (after one step each way that is
   * not timed, and one warm-up round), alternating which goes first.
   *
   * @param limitFile the limit module, or null to time our step alone
   */
  public static Result run(
      DjlEngine engine,
      String modelId,
      Path limitFile,
      int rounds,
      int steps,
      LongSupplier nanoTime,
      LongSupplier cpuTime) {
    if (rounds < 1 || steps < 1) {
      throw new IllegalArgumentException(
          "rounds and steps must be at least 1, got " + rounds + " and " + steps);
    }
    LatentGenerator generator = engine.latentGenerator(modelId);
    ClipModel clip = engine.clipOf(modelId);
    int cutouts = engine.config().cutouts();
    TorchScriptModule limit =
        limitFile == null ? null : TorchScriptModule.load(limitFile, engine.device());
    try {
      Step ours = new Step(engine, modelId, generator, clip, cutouts, nanoTime, cpuTime);
      ours.java(1);
      if (limit != null) {
        ours.limit(limit, 1);
      }
      List<Double> javaMs = new ArrayList<>();
      List<Double> limitMs = new ArrayList<>();
      List<Double> javaCpuMs = new ArrayList<>();
      List<Double> limitCpuMs = new ArrayList<>();
      List<Map<String, Double>> phases = new ArrayList<>();
      double deviation = Double.NaN;
      long arraysAfterFirst = 0;
      double rssAfterFirst = 0;
      for (int round = 0; round < rounds; round++) {
        if (limit != null && round % 2 == 1) {
          Timed timed = ours.limit(limit, steps);
          limitMs.add(timed.msPerStep);
          limitCpuMs.add(timed.cpuMsPerStep);
        }
        Timed java = ours.java(steps);
        javaMs.add(java.msPerStep);
        javaCpuMs.add(java.cpuMsPerStep);
        phases.add(java.phases);
        if (limit != null && round % 2 == 0) {
          Timed timed = ours.limit(limit, steps);
          limitMs.add(timed.msPerStep);
          limitCpuMs.add(timed.cpuMsPerStep);
          deviation = Math.abs(timed.firstLoss - java.firstLoss) / Math.abs(java.firstLoss);
        }
        if (round == 0) {
          arraysAfterFirst = TorchScriptModule.liveArrays();
          rssAfterFirst = residentMb();
        }
      }
      return new Result(
          modelId,
          cutouts,
          engine.config().effectiveThreads(),
          engine.cpuKernels(),
          rounds,
          steps,
          median(javaMs),
          limit == null ? Double.NaN : median(limitMs),
          medianPhases(phases),
          javaMs,
          limitMs,
          javaCpuMs,
          limitCpuMs,
          deviation,
          TorchScriptModule.liveArrays() - arraysAfterFirst,
          residentMb() - rssAfterFirst);
    } finally {
      if (limit != null) {
        limit.close();
      }
    }
  }

  private record Timed(
      double msPerStep, double cpuMsPerStep, Map<String, Double> phases, double firstLoss) {}

  /** Both ways of running the step from the same latents and cutouts. */
  private record Step(
      DjlEngine engine,
      String modelId,
      LatentGenerator generator,
      ClipModel clip,
      int cutouts,
      LongSupplier nanoTime,
      LongSupplier cpuTime) {

    /** {@code steps + 1} steps of our loop; the first is not timed. */
    Timed java(int steps) {
      try (NDManager run = NDManager.newBaseManager(engine.device(), "PyTorch")) {
        PromptTargets targets = engine.targets(run, modelId, PROMPTS);
        PhaseTimer timer = new PhaseTimer(nanoTime);
        long[] ends = new long[steps + 1];
        long[] cpu = new long[2];
        double[] firstLoss = new double[1];
        BigSleepOptimizer.Settings settings = engine.optimizerSettings();
        new BigSleepOptimizer(
                clip,
                generator,
                new BigSleepOptimizer.Settings(
                    cutouts, settings.learningRate(), settings.previewEvery()),
                timer)
            .run(
                run,
                targets,
                generator.initialLatents(run, new Random(SEED)),
                CutoutSource.bigSleep(SEED),
                steps + 1,
                p -> {
                  ends[p.step() - 1] = nanoTime.getAsLong();
                  if (p.step() == steps + 1) {
                    cpu[1] = cpuTime.getAsLong();
                  }
                  if (p.step() == 1) {
                    cpu[0] = cpuTime.getAsLong();
                    firstLoss[0] = p.loss();
                    timer.reset();
                  }
                },
                new CancellationSignal());
        return new Timed(
            (ends[steps] - ends[0]) / 1e6 / steps,
            (cpu[1] - cpu[0]) / 1e6 / steps,
            timer.millisPer(steps),
            firstLoss[0]);
      }
    }

    /** {@code steps + 1} calls of the limit module; the first is not timed. */
    Timed limit(TorchScriptModule limit, int steps) {
      try (NDManager run = NDManager.newBaseManager(engine.device(), "PyTorch")) {
        PromptTargets targets = engine.targets(run, modelId, PROMPTS);
        NDList latents = generator.initialLatents(run, new Random(SEED));
        NDArray texts = NDArrays.concat(targets.embeddings(), 0);
        double[] w = new double[targets.embeddings().size()];
        for (int i = 0; i < w.length; i++) {
          w[i] = targets.weight(i);
        }
        NDArray weights = run.create(w).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        CutoutSource boxes = CutoutSource.bigSleep(SEED);
        long start = 0;
        long cpuStart = 0;
        double firstLoss = Double.NaN;
        for (int step = 0; step <= steps; step++) {
          if (step == 1) {
            start = nanoTime.getAsLong();
            cpuStart = cpuTime.getAsLong();
          }
          long[] flat = new long[cutouts * 3];
          List<Cutout> stepBoxes = boxes.next(generator.imageSize(), cutouts);
          for (int i = 0; i < cutouts; i++) {
            Cutout c = stepBoxes.get(i);
            flat[3 * i] = c.top();
            flat[3 * i + 1] = c.left();
            flat[3 * i + 2] = c.size();
          }
          try (NDManager scratch = run.newSubManager()) {
            NDList inputs = limitInputs(generator, latents, scratch);
            inputs.add(scratch.create(flat, new Shape(cutouts, 3)));
            inputs.add(texts);
            inputs.add(weights);
            NDList out = Autograd.recording(() -> limit.forwardWithGrad(inputs));
            if (step == 0) {
              firstLoss = out.get(0).getFloat();
            }
          }
        }
        double ms = (nanoTime.getAsLong() - start) / 1e6 / steps;
        double cpuMs = (cpuTime.getAsLong() - cpuStart) / 1e6 / steps;
        return new Timed(ms, cpuMs, Map.of(), firstLoss);
      }
    }
  }

  /**
   * The limit module's leading inputs ({@code bench_limit.py}): BigGAN's z, class logits and
   * truncation; StyleGAN's w. Copies, so the limit's gradients never touch the run's latents.
   */
  private static NDList limitInputs(LatentGenerator generator, NDList latents, NDManager scratch) {
    NDList inputs = new NDList();
    for (NDArray latent : latents) {
      NDArray copy = latent.duplicate();
      copy.attach(scratch);
      inputs.add(copy);
    }
    if (generator instanceof BigGanGenerator bigGan) {
      inputs.add(Scalars.of(inputs.get(0), bigGan.truncation()));
    }
    return inputs;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static Map<String, Double> medianPhases(List<Map<String, Double>> rounds) {
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String phase : rounds.get(0).keySet()) {
      medians.put(phase, median(rounds.stream().map(r -> r.get(phase)).toList()));
    }
    return medians;
  }

  /** VmRSS of this process in MB, or NaN where /proc is not readable. */
  private static double residentMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
