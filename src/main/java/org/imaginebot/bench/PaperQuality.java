package org.imaginebot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.models.ModelFile;
import org.imaginebot.models.ModelKind;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/**
 * {@code bench quality}: paper 001's procedure (top-k 20 classes, best CLIP score of 100
 * candidates) and our {@code auto} with the same 100 steps, on the paper's captions, scored by the
 * whole image's CLIP score, against the paper's BigGAN figure. Only meaningful with the real CLIP
 * ViT-B/32 and BigGAN-deep weights: {@link #find} says whether the manifest has them.
 */
public final class PaperQuality {

  /** Paper 001, Table 1: BigGAN, k = 20, best CLIP score (ViT-B/32) after 100 images. */
  public static final double PAPER_BIGGAN_K20 = 0.3053;

  public static final int TOP_K = 20;
  public static final int CANDIDATES = 100;

  /** The manifest id the real CLIP ViT-B/32 must have (config/models.yaml). */
  public static final String CLIP_ID = "clip-vit-b32";

  /** The manifest ids of real BigGAN-deep generators start so (config/models.yaml). */
  public static final String BIGGAN_DEEP_PREFIX = "biggan-deep";

  /**
   * The paper's own captions: the three CUB-200 test captions printed in its Figure 3. The 2,778
   * test images' captions it averaged over are not in the seed document (nor in this repository).
   */
  public static final List<String> CAPTIONS =
      List.of(
          "small chubby bird with a blue body, and bluish green wings and tail",
          "a bright orange bird with a small orange beak and a black throat",
          "this short billed bird has a yellow throat with a greenish malar stripe");

  /** The paper's three seeds. */
  public static final List<Long> SEEDS = List.of(42L, 43L, 44L);

  private PaperQuality() {}

  /** The real models found: a CLIP ViT-B/32 and a BigGAN-deep it steers, or why there are none. */
  public record Availability(Optional<String> generator, String reason) {}

  /**
   * Finds a {@value #BIGGAN_DEEP_PREFIX}* BigGAN entry steered by {@value #CLIP_ID}, both with
   * every file present.
   */
  public static Availability find(ModelManifest manifest) {
    Optional<ModelSpec> clip =
        manifest.all().stream()
            .filter(m -> m.id().equals(CLIP_ID) && m.kind() == ModelKind.CLIP)
            .findFirst();
    if (clip.isEmpty()) {
      return new Availability(
          Optional.empty(), "the manifest has no CLIP ViT-B/32 entry (id " + CLIP_ID + ")");
    }
    List<ModelSpec> bigGans =
        manifest.all().stream()
            .filter(
                m ->
                    m.kind() == ModelKind.BIGGAN
                        && m.id().startsWith(BIGGAN_DEEP_PREFIX)
                        && CLIP_ID.equals(m.clip()))
            .toList();
    if (bigGans.isEmpty()) {
      return new Availability(
          Optional.empty(),
          "the manifest has no BigGAN-deep entry (id "
              + BIGGAN_DEEP_PREFIX
              + "-*, clip: "
              + CLIP_ID
              + ")");
    }
    Optional<String> missing = missingFile(clip.get());
    if (missing.isPresent()) {
      return new Availability(Optional.empty(), missing.get());
    }
    String lastMissing = null;
    for (ModelSpec generator : bigGans) {
      Optional<String> absent = missingFile(generator);
      if (absent.isEmpty()) {
        return new Availability(Optional.of(generator.id()), "");
      }
      lastMissing = absent.get();
    }
    return new Availability(Optional.empty(), lastMissing);
  }

  private static Optional<String> missingFile(ModelSpec spec) {
    for (ModelFile file : spec.files().values()) {
      if (!Files.isRegularFile(file.path())) {
        return Optional.of(
            "model " + spec.id() + " lacks its " + file.role() + " file " + file.path());
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code search} (best of {@code candidates}, the engine's top k) and {@code auto} (the same
   * steps) for every caption and seed; each image is scored by the whole image's CLIP score.
   *
   * @param topK the engine's {@code engine.searchTopK}, reported with the figures
   */
  public static ObjectNode run(
      DjlEngine engine,
      String generator,
      List<String> captions,
      List<Long> seeds,
      int candidates,
      int topK) {
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("bench", "quality").put("generator", generator).put("top_k", topK);
    json.put("candidates", candidates).put("captions", captions.size());
    ArrayNode seedList = json.putArray("seeds");
    seeds.forEach(seedList::add);
    for (Strategy strategy : List.of(Strategy.SEARCH, Strategy.AUTO)) {
      List<Double> scores = new ArrayList<>();
      for (String caption : captions) {
        List<WeightedPrompt> prompts = PromptParser.parse(caption);
        for (long seed : seeds) {
          GenerationResult result =
              engine.generate(
                  new GenerationRequest(prompts, generator, strategy, candidates, seed),
                  p -> {},
                  new CancellationSignal());
          scores.add(engine.clipScore(generator, prompts, result.png()));
        }
      }
      ArrayNode list = json.putArray(strategy.id() + "_scores");
      scores.forEach(list::add);
      json.put(
          strategy.id() + "_mean_clip_score",
          scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
    }
    json.put("paper_biggan_k20", PAPER_BIGGAN_K20);
    return json;
  }
}
