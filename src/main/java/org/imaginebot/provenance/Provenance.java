package org.imaginebot.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.queue.RequestJson;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ImagePrompt;

/**
 * What made an image: its request and the engine that ran it, as the {@code imagine-bot} {@code
 * tEXt} chunk of every result PNG carries them.
 *
 * <p>The JSON is {@link RequestJson}'s (the job store's format) with image prompts by sha256 and
 * weight instead of their bytes (a PNG must stay small), plus {@code modelFiles} (sha256 by {@code
 * model/role}) and {@code engine} (revision and pixel-deciding settings). Written with non-ASCII
 * escaped, so it is valid {@code tEXt} (Latin-1) whatever the prompt's script; field order is
 * fixed, so the same request and engine give the same bytes.
 *
 * @param request the request, without image prompts (their bytes are not in the PNG): see {@code
 *     images} and {@link #request(List)}
 * @param images the image prompts by sha256, in the request's order
 * @param engine revision, settings and model files' sha256
 * @param parentJob the job id of the image this one was made from (a Re-roll's, a Variation's),
 *     written as {@code parent_job}; null for an image of its own or when that job is not known (a
 *     cache hit ran none). Not part of what makes the pixels: a re-make from the request alone
 *     gives the same image
 * @param continuedFromSteps for an image made by continuing another ({@code generate --continue}):
 *     the steps that image had run, written as {@code continued_from_steps}; null otherwise. The
 *     request's steps are the total. Not part of what makes the pixels either: a continued run
 *     gives the image of a run of all its steps
 */
public record Provenance(
    GenerationRequest request,
    List<ImageRef> images,
    EngineFingerprint engine,
    String parentJob,
    Integer continuedFromSteps) {

  /** The chunk's keyword. */
  public static final String KEYWORD = "imagine-bot";

  /** Version of this JSON layout, bumped when a field changes meaning. */
  static final int FORMAT = 1;

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  /**
   * An image prompt as the PNG records it.
   *
   * @param sha256 of the prompt's PNG bytes ({@link ImagePrompt#sha256})
   * @param weight its weight
   */
  public record ImageRef(String sha256, double weight) {
    public ImageRef {
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  public Provenance {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(engine, "engine");
    if (!request.images().isEmpty()) {
      throw new IllegalArgumentException("the request's image prompts go in images, by sha256");
    }
    images = List.copyOf(images);
  }

  /** A provenance that was not continued. */
  public Provenance(
      GenerationRequest request,
      List<ImageRef> images,
      EngineFingerprint engine,
      String parentJob) {
    this(request, images, engine, parentJob, null);
  }

  /** A provenance without a parent. */
  public Provenance(GenerationRequest request, List<ImageRef> images, EngineFingerprint engine) {
    this(request, images, engine, null);
  }

  /** This provenance naming {@code jobId} (null: none) as the job of the image it came from. */
  public Provenance withParentJob(String jobId) {
    return new Provenance(request, images, engine, jobId, continuedFromSteps);
  }

  /** This provenance saying the image continued a run of {@code steps} steps (null: it did not). */
  public Provenance withContinuedFromSteps(Integer steps) {
    return new Provenance(request, images, engine, parentJob, steps);
  }

  /**
   * {@code png} with its provenance naming {@code parentJob} as its parent; unchanged when it has
   * no readable provenance or {@code parentJob} is null.
   */
  public static byte[] withParentJob(byte[] png, String parentJob) {
    if (parentJob == null) {
      return png;
    }
    return read(png).map(p -> p.withParentJob(parentJob).stamp(png)).orElse(png);
  }

  /** The provenance of {@code request} run by {@code engine}. */
  public static Provenance of(GenerationRequest request, EngineFingerprint engine) {
    List<ImageRef> images = new ArrayList<>();
    for (ImagePrompt image : request.images()) {
      images.add(new ImageRef(image.sha256(), image.weight()));
    }
    // How the worker may make it (continuedFrom) is not what it is: the runner says whether it did
    // continue (withContinuedFromSteps).
    return new Provenance(withImages(request.withContinuedFrom(0), List.of()), images, engine);
  }

  /**
   * The whole request, image prompts taken from {@code supplied} by sha256 (their own weights are
   * ignored: the recorded ones count).
   *
   * @throws IllegalArgumentException naming the image prompts {@code supplied} lacks
   */
  public GenerationRequest request(List<ImagePrompt> supplied) {
    Map<String, ImagePrompt> bySha = new TreeMap<>();
    supplied.forEach(image -> bySha.put(image.sha256(), image));
    List<ImagePrompt> prompts = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (ImageRef ref : images) {
      ImagePrompt image = bySha.get(ref.sha256());
      if (image == null) {
        missing.add("sha256 " + ref.sha256() + " (weight " + ref.weight() + ")");
      } else {
        prompts.add(new ImagePrompt(image.png(), ref.weight()));
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "it was made with image prompts that were not given: " + String.join(", ", missing));
    }
    return withImages(request, prompts);
  }

  /** The JSON the chunk holds; ASCII only. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.setAll(RequestJson.tree(request));
    ArrayNode refs = JSON.createArrayNode();
    images.forEach(i -> refs.addObject().put("sha256", i.sha256()).put("weight", i.weight()));
    root.set("images", refs);
    ObjectNode files = root.putObject("modelFiles");
    engine.files().forEach(files::put);
    root.putObject("engine")
        .put("revision", engine.revision())
        .put("cutouts", engine.cutouts())
        .put("learningRate", engine.learningRate())
        .put("truncation", engine.truncation())
        .put("styleTruncation", engine.styleTruncation())
        .put("searchTopK", engine.searchTopK());
    if (parentJob != null) { // last and only when known, so images without one keep their bytes
      root.put("parent_job", parentJob);
    }
    if (continuedFromSteps != null) { // likewise
      root.put("continued_from_steps", continuedFromSteps.intValue());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write provenance as JSON", e);
    }
  }

  /** {@code png} carrying this provenance (any earlier {@code imagine-bot} chunk replaced). */
  public byte[] stamp(byte[] png) {
    return Png.withText(png, KEYWORD, toJson());
  }

  /** The provenance {@code png} carries; empty when it has none or it cannot be read. */
  public static Optional<Provenance> read(byte[] png) {
    return Png.text(png, KEYWORD).flatMap(Provenance::fromJson);
  }

  /** Whether {@code png} has an {@code imagine-bot} chunk at all, readable or not. */
  public static boolean hasChunk(byte[] png) {
    return Png.text(png, KEYWORD).isPresent();
  }

  /** The provenance in {@code json} as {@link #toJson} writes it; empty when malformed. */
  public static Optional<Provenance> fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject() || root.path("format").asInt(0) != FORMAT) {
        return Optional.empty();
      }
      ObjectNode withoutImages = ((ObjectNode) root).deepCopy();
      withoutImages.putArray("images");
      GenerationRequest request = RequestJson.read(withoutImages);
      List<ImageRef> images = new ArrayList<>();
      for (JsonNode image : root.path("images")) {
        images.add(new ImageRef(text(image, "sha256"), number(image, "weight").asDouble()));
      }
      Map<String, String> files = new TreeMap<>();
      root.path("modelFiles")
          .fields()
          .forEachRemaining(f -> files.put(f.getKey(), f.getValue().asText()));
      JsonNode engine = root.path("engine");
      return Optional.of(
          new Provenance(
              request,
              images,
              new EngineFingerprint(
                  number(engine, "revision").asInt(),
                  number(engine, "cutouts").asInt(),
                  number(engine, "learningRate").asDouble(),
                  number(engine, "truncation").asDouble(),
                  number(engine, "styleTruncation").asDouble(),
                  number(engine, "searchTopK").asInt(),
                  files),
              root.path("parent_job").isTextual() ? root.path("parent_job").asText() : null,
              root.path("continued_from_steps").isInt()
                  ? root.path("continued_from_steps").asInt()
                  : null));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("no text field " + field);
    }
    return value.asText();
  }

  private static JsonNode number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isNumber()) {
      throw new IllegalArgumentException("no number field " + field);
    }
    return value;
  }

  private static GenerationRequest withImages(GenerationRequest r, List<ImagePrompt> images) {
    // The canonical constructor: withImages() would derive a derived seed again.
    return new GenerationRequest(
        r.prompts(),
        r.model(),
        r.strategy(),
        r.steps(),
        r.seed(),
        r.size(),
        r.seedSource(),
        r.variation(),
        images,
        r.grid(),
        r.origin(),
        r.continuedFrom());
  }
}
