package org.imaginebot.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.CpuKernels;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.engine.RunState;
import org.imaginebot.engine.tokenizer.ClipTokenizer;
import org.imaginebot.models.ModelFile;
import org.imaginebot.models.ModelFiles;
import org.imaginebot.models.ModelKind;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ImagePrompt;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine on DJL's PyTorch engine: loads the manifest's TorchScript models on first use (after
 * checking each file's sha256), keeps them loaded, caches prompt embeddings, and runs the request's
 * strategy on the GPU when one is visible, else on the CPU.
 */
public final class DjlEngine implements Engine {

  private static final Logger LOG = LoggerFactory.getLogger(DjlEngine.class);

  /** Separates the cutout stream from the latent stream of the same seed. */
  private static final long CUTOUT_STREAM = 0x9E3779B97F4A7C15L;

  /** Separates a variation's noise from the seed's own streams. */
  private static final long VARIATION_STREAM = 0xC2B2AE3D27D4EB4FL;

  /** Individuals per generation of {@code evolve} (the seed's default). */
  static final int EVOLVE_POPULATION = 32;

  /** {@code auto} searches for 1/4 of its steps. */
  private static final int AUTO_SEARCH_SHARE = 4;

  private final EngineConfig config;
  private final ModelManifest manifest;
  private final LongFunction<CutoutSource> cutoutSources;
  private final Device device;
  private final CpuKernels cpuKernels;
  private final Map<String, ClipModel> clips = new ConcurrentHashMap<>();
  private final Map<String, LatentGenerator> generators = new ConcurrentHashMap<>();
  private final Map<String, Discriminator> discriminators = new ConcurrentHashMap<>();
  private final Cache<String, float[]> textEmbeddings =
      Caffeine.newBuilder().maximumSize(4096).build();

  public DjlEngine(EngineConfig config, ModelManifest manifest) {
    this(config, manifest, CutoutSource::bigSleep);
  }

  DjlEngine(EngineConfig config, ModelManifest manifest, LongFunction<CutoutSource> cutoutSources) {
    this.config = config;
    this.manifest = manifest;
    this.cutoutSources = cutoutSources;
    this.cpuKernels =
        NativeSettings.apply(config.kernels(), config.cpuKernelsCache(), config.effectiveThreads());
    this.device = ai.djl.engine.Engine.getEngine("PyTorch").defaultDevice();
    NativeSettings.quietNativeWarnings();
    LOG.info("engine device: {}", device);
  }

  @Override
  public GenerationResult generate(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    try {
      return run(request, listener, cancel);
    } finally {
      afterJob();
    }
  }

  /**
   * A job's tensors are closed: gives the memory the C allocator keeps free back to the system
   * ({@code engine.trimNativeMemory}, see {@link NativeMemory}).
   */
  private void afterJob() {
    if (config.trimNativeMemory()) {
      NativeMemory.trim();
    }
  }

  private GenerationResult run(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    ModelSpec spec = manifest.require(request.model());
    if (spec.kind() == ModelKind.CLIP) {
      throw new IllegalArgumentException(
          "model '"
              + spec.id()
              + "' is a CLIP model, not a generator; generators: "
              + generatorIds());
    }
    ClipModel clip = clip(spec.clip());
    LatentGenerator generator = generator(spec);
    Random random = new Random(request.seed());
    try (NDManager run = NDManager.newBaseManager(device, "PyTorch")) {
      PromptTargets targets = targets(run, spec.clip(), clip, request.prompts(), request.images());
      return switch (request.strategy()) {
        case ADAM ->
            new BigSleepOptimizer(clip, generator, optimizerSettings())
                .run(
                    run,
                    targets,
                    startingLatents(run, generator, random, request),
                    cutoutSources.apply(request.seed() ^ CUTOUT_STREAM),
                    request.steps(),
                    listener,
                    cancel);
        case SEARCH ->
            search(run, clip, generator, targets, random, request.steps(), listener, cancel)
                .result();
        case AUTO -> auto(run, clip, generator, targets, random, request, listener, cancel);
        case EVOLVE ->
            new GeneticSearch(
                    clip,
                    generator,
                    GeneticSearch.Settings.defaults(EVOLVE_POPULATION),
                    config.previewEvery(),
                    discriminator(spec))
                .run(run, targets, random, request.steps(), listener, cancel);
      };
    }
  }

  /**
   * Continues an {@code adam} run: the state's latents, Adam moments and step count, and the
   * cutouts the seed's stream gives from step {@code state.step() + 1} on, so the result is the one
   * a run of {@code state.step() + moreSteps} steps gives (same bytes on the same device).
   */
  @Override
  public GenerationResult resume(
      GenerationRequest request,
      RunState state,
      int moreSteps,
      ProgressListener listener,
      CancellationSignal cancel) {
    try {
      return continueRun(request, state, moreSteps, listener, cancel);
    } finally {
      afterJob();
    }
  }

  private GenerationResult continueRun(
      GenerationRequest request,
      RunState state,
      int moreSteps,
      ProgressListener listener,
      CancellationSignal cancel) {
    if (request.strategy() != Strategy.ADAM) {
      throw new IllegalArgumentException(
          "only adam runs can be continued, not " + request.strategy().id());
    }
    if (request.steps() != state.step()) {
      throw new IllegalArgumentException(
          "the run state is of step "
              + state.step()
              + " but the request asked for "
              + request.steps()
              + " steps");
    }
    ModelSpec spec = manifest.require(request.model());
    if (spec.kind() == ModelKind.CLIP) {
      throw new IllegalArgumentException("model '" + spec.id() + "' is not a generator");
    }
    ClipModel clip = clip(spec.clip());
    LatentGenerator generator = generator(spec);
    try (NDManager run = NDManager.newBaseManager(device, "PyTorch")) {
      PromptTargets targets = targets(run, spec.clip(), clip, request.prompts(), request.images());
      return new BigSleepOptimizer(clip, generator, optimizerSettings())
          .resume(
              run,
              targets,
              state,
              cutoutSources.apply(request.seed() ^ CUTOUT_STREAM),
              moreSteps,
              listener,
              cancel);
    }
  }

  private SearchResult search(
      NDManager run,
      ClipModel clip,
      LatentGenerator generator,
      PromptTargets targets,
      Random random,
      int candidates,
      ProgressListener listener,
      CancellationSignal cancel) {
    return generator instanceof BigGanGenerator bigGan
        ? new ClassSearch(clip, bigGan, config.searchTopK(), config.previewEvery())
            .search(run, targets, random, candidates, listener, cancel)
        : new LatentSearch(clip, generator, config.previewEvery())
            .search(run, targets, random, candidates, listener, cancel);
  }

  /**
   * {@code auto}: a quarter of the steps (at least one) search candidates, the rest refine the best
   * one with {@code adam}; progress counts through both phases.
   */
  private GenerationResult auto(
      NDManager run,
      ClipModel clip,
      LatentGenerator generator,
      PromptTargets targets,
      Random random,
      GenerationRequest request,
      ProgressListener listener,
      CancellationSignal cancel) {
    int total = request.steps();
    int candidates = Math.max(1, total / AUTO_SEARCH_SHARE);
    long started = System.nanoTime();
    SearchResult found =
        search(
            run,
            clip,
            generator,
            targets,
            random,
            candidates,
            p ->
                listener.onProgress(
                    new Progress(p.step(), total, p.loss(), p.clipScore(), p.previewPng())),
            cancel);
    if (candidates == total) {
      return found.result();
    }
    GenerationResult refined =
        new BigSleepOptimizer(clip, generator, optimizerSettings())
            .run(
                run,
                targets,
                found.bestLatents(),
                cutoutSources.apply(request.seed() ^ CUTOUT_STREAM),
                total - candidates,
                p ->
                    listener.onProgress(
                        new Progress(
                            candidates + p.step(), total, p.loss(), p.clipScore(), p.previewPng())),
                cancel);
    return new GenerationResult(
        refined.png(),
        refined.clipScore(),
        candidates + refined.bestStep(),
        found.result().initialClipScore(),
        total,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * NDArrays the loaded models hold now, across every engine in this JVM: a soak run checks this
   * stays flat from job to job (each run's own arrays are freed with its manager).
   */
  public static long liveArrays() {
    return TorchScriptModule.liveArrays();
  }

  /**
   * How well an image matches weighted prompts by the model's CLIP: the weighted cosine similarity
   * of the whole image, as {@code search} scores candidates. Comparable across strategies.
   */
  public double clipScore(String modelId, List<WeightedPrompt> prompts, byte[] png) {
    ModelSpec spec = manifest.require(modelId);
    String clipId = spec.kind() == ModelKind.CLIP ? spec.id() : spec.clip();
    ClipModel clip = clip(clipId);
    try (NDManager run = NDManager.newBaseManager(device, "PyTorch")) {
      PromptTargets targets = targets(run, clipId, clip, prompts, List.of());
      NDArray image = Images.fromPng(run, png);
      return targets.wholeImageScore(clip, image);
    }
  }

  /** The seed's latents, nudged by the variation's own noise when the request is a variation. */
  private static NDList startingLatents(
      NDManager run, LatentGenerator generator, Random random, GenerationRequest request) {
    NDList latents = generator.initialLatents(run, random);
    if (request.variation() == 0) {
      return latents;
    }
    return generator.vary(
        run, latents, new Random(request.seed() * VARIATION_STREAM + request.variation()));
  }

  /** The CPU kernels this process runs with (see {@code engine.cpuKernels}). */
  public CpuKernels cpuKernels() {
    return cpuKernels;
  }

  EngineConfig config() {
    return config;
  }

  Device device() {
    return device;
  }

  /** The CLIP model that steers generator {@code modelId}. */
  ClipModel clipOf(String modelId) {
    return clip(manifest.require(modelId).clip());
  }

  /** The prompts' targets for {@code modelId}'s CLIP model. */
  PromptTargets targets(NDManager run, String modelId, List<WeightedPrompt> prompts) {
    String clipId = manifest.require(modelId).clip();
    return targets(run, clipId, clip(clipId), prompts, List.of());
  }

  BigSleepOptimizer.Settings optimizerSettings() {
    return new BigSleepOptimizer.Settings(
        config.cutouts(), config.learningRate(), config.previewEvery());
  }

  ClipModel clip(String clipId) {
    return clips.computeIfAbsent(
        clipId,
        id -> {
          ModelSpec spec = manifest.require(id);
          return new ClipModel(
              module(spec.file("image")), module(spec.file("text")), ClipTokenizer.load());
        });
  }

  BigGanGenerator bigGan(String modelId) {
    return (BigGanGenerator) generator(manifest.require(modelId));
  }

  /** The model's generator, BigGAN or StyleGAN. */
  LatentGenerator latentGenerator(String modelId) {
    return generator(manifest.require(modelId));
  }

  StyleGanGenerator styleGan(String modelId) {
    return (StyleGanGenerator) generator(manifest.require(modelId));
  }

  /** The model's discriminator when its manifest entry lists one; null otherwise. */
  Discriminator discriminator(String modelId) {
    return discriminator(manifest.require(modelId));
  }

  /** The generator's discriminator when its manifest entry lists one; null otherwise. */
  private Discriminator discriminator(ModelSpec spec) {
    return spec.optionalFile("discriminator")
        .map(
            file ->
                discriminators.computeIfAbsent(spec.id(), id -> new Discriminator(module(file))))
        .orElse(null);
  }

  private LatentGenerator generator(ModelSpec spec) {
    return generators.computeIfAbsent(
        spec.id(),
        id ->
            switch (spec.kind()) {
              case BIGGAN ->
                  new BigGanGenerator(
                      module(spec.file("generator")),
                      spec.imageSize(),
                      spec.numLatents(),
                      spec.zDim(),
                      spec.numClasses(),
                      config.truncation());
              case STYLEGAN ->
                  new StyleGanGenerator(
                      module(spec.file("mapping")),
                      module(spec.file("synthesis")),
                      spec.imageSize(),
                      spec.zDim(),
                      config.styleTruncation());
              case CLIP ->
                  throw new IllegalArgumentException("model '" + id + "' is not a generator");
            });
  }

  private TorchScriptModule module(ModelFile file) {
    ModelFiles.verify(file);
    long started = System.nanoTime();
    TorchScriptModule module = TorchScriptModule.load(file.path(), device);
    LOG.info("loaded {} in {} ms", file.path(), (System.nanoTime() - started) / 1_000_000);
    return module;
  }

  /** Text embeddings of the prompts, from the cache when the same text was embedded before. */
  private PromptTargets targets(
      NDManager run,
      String clipId,
      ClipModel clip,
      List<WeightedPrompt> prompts,
      List<ImagePrompt> images) {
    NDList embeddings = new NDList(prompts.size() + images.size());
    double[] weights = new double[prompts.size() + images.size()];
    for (int i = 0; i < prompts.size(); i++) {
      WeightedPrompt prompt = prompts.get(i);
      float[] values =
          textEmbeddings.get(
              clipId + '\u0000' + prompt.text(),
              key -> clip.encodeTexts(run, List.of(prompt.text())).toFloatArray());
      embeddings.add(run.create(values, new Shape(1, values.length)));
      weights[i] = prompt.weight();
    }
    // Image prompts (big-sleep's --img): the whole image's CLIP embedding, a target like a text's.
    for (int i = 0; i < images.size(); i++) {
      NDArray image = Images.fromPng(run, images.get(i).png());
      NDArray embedding = clip.encodeImages(Cutouts.whole(image));
      // A copy outside inference mode: an inference tensor may not be saved for adam's backward.
      embeddings.add(run.create(embedding.toFloatArray(), embedding.getShape()));
      weights[prompts.size() + i] = images.get(i).weight();
    }
    return new PromptTargets(embeddings, weights);
  }

  private String generatorIds() {
    return String.join(
        ", ",
        manifest.all().stream()
            .filter(m -> m.kind() != ModelKind.CLIP)
            .map(ModelSpec::id)
            .toList());
  }

  @Override
  public void close() {
    generators.values().forEach(LatentGenerator::close);
    discriminators.values().forEach(Discriminator::close);
    discriminators.clear();
    clips.values().forEach(ClipModel::close);
    generators.clear();
    clips.clear();
  }
}
