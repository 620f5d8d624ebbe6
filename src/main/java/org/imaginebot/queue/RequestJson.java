package org.imaginebot.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ImagePrompt;
import org.imaginebot.request.SeedSource;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/**
 * Writes a {@link GenerationRequest} as JSON for the job store and reads it back.
 *
 * <p>Explicit rather than Jackson's record binding: the records have derived accessors such as
 * {@code WeightedPrompt.isNegative()} that binding would write and then fail to read, and the
 * stored format should not change when someone adds a method to a record.
 */
public final class RequestJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RequestJson() {}

  public static String write(GenerationRequest request) {
    try {
      return MAPPER.writeValueAsString(tree(request));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write request as JSON", e);
    }
  }

  /** The request as a JSON object, for formats that add fields of their own around it. */
  public static ObjectNode tree(GenerationRequest request) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode prompts = root.putArray("prompts");
    for (WeightedPrompt p : request.prompts()) {
      prompts.addObject().put("text", p.text()).put("weight", p.weight());
    }
    root.put("model", request.model());
    root.put("strategy", request.strategy().id());
    root.put("steps", request.steps());
    root.put("seed", request.seed());
    root.put("size", request.size());
    root.put("seedSource", request.seedSource().name());
    root.put("variation", request.variation());
    ArrayNode images = root.putArray("images");
    for (ImagePrompt image : request.images()) {
      images
          .addObject()
          .put("png", java.util.Base64.getEncoder().encodeToString(image.png()))
          .put("weight", image.weight());
    }
    // Only when set, so the JSON of a plain request (and the provenance chunk built on it) keeps
    // its bytes.
    if (request.grid() != 0) {
      root.put("grid", request.grid());
    }
    if (request.origin() != null) {
      root.set("origin", tree(request.origin()));
    }
    if (request.continuedFrom() != 0) {
      root.put("continuedFrom", request.continuedFrom());
    }
    return root;
  }

  public static GenerationRequest read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "stored request is not JSON: " + e.getOriginalMessage(), e);
    }
    return read(root);
  }

  /**
   * The request in a JSON object as {@link #tree} writes it; fields it does not know are ignored.
   *
   * @throws IllegalArgumentException when a field is missing or a value is out of range
   */
  public static GenerationRequest read(JsonNode root) {
    List<WeightedPrompt> prompts = new ArrayList<>();
    for (JsonNode p : required(root, "prompts")) {
      prompts.add(
          new WeightedPrompt(required(p, "text").asText(), required(p, "weight").asDouble()));
    }
    return new GenerationRequest(
        prompts,
        required(root, "model").asText(),
        Strategy.parse(required(root, "strategy").asText()),
        required(root, "steps").asInt(),
        required(root, "seed").asLong(),
        // Rows written before these fields existed: native size, typed seed (or the old
        // explicitSeed flag).
        root.path("size").asInt(GenerationRequest.NATIVE_SIZE),
        seedSource(root),
        root.path("variation").asInt(0),
        images(root.path("images")),
        root.path("grid").asInt(0),
        root.hasNonNull("origin") ? read(root.get("origin")) : null,
        root.path("continuedFrom").asInt(0));
  }

  private static SeedSource seedSource(JsonNode root) {
    if (root.hasNonNull("seedSource")) {
      return SeedSource.valueOf(root.get("seedSource").asText());
    }
    return root.path("explicitSeed").asBoolean(true) ? SeedSource.TYPED : SeedSource.RANDOM;
  }

  private static List<ImagePrompt> images(JsonNode array) {
    List<ImagePrompt> images = new ArrayList<>();
    for (JsonNode image : array) {
      images.add(
          new ImagePrompt(
              java.util.Base64.getDecoder().decode(required(image, "png").asText()),
              required(image, "weight").asDouble()));
    }
    return images;
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("stored request lacks field '" + field + "': " + node);
    }
    return value;
  }
}
