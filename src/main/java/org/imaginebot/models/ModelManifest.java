package org.imaginebot.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.config.Checks;
import org.imaginebot.config.ConfigException;
import org.imaginebot.config.ConfigKeys;
import org.imaginebot.config.Yaml;

/**
 * Every model the engine can load, read from {@code config/models.yaml}.
 *
 * <p>{@link #load} checks each entry ({@link ModelSpec}'s rules per kind), that ids are unique and
 * that each generator names a CLIP model of the manifest. It does not read the model files: {@link
 * ModelFiles#verify} does that when a model is loaded.
 */
public final class ModelManifest {

  private static final Pattern MODEL_INDEX = Pattern.compile("^models\\[(\\d+)]");

  private final Map<String, ModelSpec> models;

  private ModelManifest(Map<String, ModelSpec> models) {
    this.models = models;
  }

  /**
   * Reads and checks a manifest.
   *
   * @param manifestFile the manifest, usually {@code engine.manifest}
   * @param modelsDir directory that file paths in the manifest are relative to
   * @throws ConfigException naming the file, the model and the problem
   */
  public static ModelManifest load(Path manifestFile, Path modelsDir) {
    Objects.requireNonNull(modelsDir, "modelsDir");
    JsonNode root = Yaml.readMapping(manifestFile, "model manifest");
    String where = "model manifest " + manifestFile + ": ";
    ManifestYaml.Document document;
    try {
      document = Yaml.MAPPER.treeToValue(root, ManifestYaml.Document.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ConfigException(where + bindingProblem(e, root), e);
    }
    if (document.models() == null || document.models().isEmpty()) {
      throw new ConfigException(where + "models must list at least one model");
    }
    Map<String, ModelSpec> byId = new LinkedHashMap<>();
    for (int i = 0; i < document.models().size(); i++) {
      ModelSpec spec;
      try {
        spec = spec(document.models().get(i), modelsDir);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + "models[" + i + "]: " + e.getMessage(), e);
      }
      if (byId.putIfAbsent(spec.id(), spec) != null) {
        throw new ConfigException(where + "model id '" + spec.id() + "' appears twice");
      }
    }
    checkClipModels(where, byId);
    return new ModelManifest(Collections.unmodifiableMap(byId));
  }

  /**
   * The model with {@code id}.
   *
   * @throws IllegalArgumentException listing the generator models when there is none
   */
  public ModelSpec require(String id) {
    ModelSpec spec = id == null ? null : models.get(id);
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown model "
              + Checks.quote(id)
              + "; known models: "
              + String.join(", ", generators()));
    }
    return spec;
  }

  /** Every model, in manifest order. */
  public List<ModelSpec> all() {
    return List.copyOf(models.values());
  }

  @Override
  public String toString() {
    return "ModelManifest" + models.keySet();
  }

  private List<String> generators() {
    return models.values().stream().filter(m -> m.kind().isGenerator()).map(ModelSpec::id).toList();
  }

  private static ModelSpec spec(ManifestYaml.Entry e, Path modelsDir) {
    if (e == null) {
      throw new IllegalArgumentException("empty entry");
    }
    String id = e.id();
    ModelKind kind = ModelKind.parse(e.kind());
    Map<String, ModelFile> files = new LinkedHashMap<>();
    if (e.files() != null) {
      e.files()
          .forEach(
              (role, f) ->
                  files.put(
                      role,
                      new ModelFile(
                          id,
                          role,
                          f == null || f.path() == null ? null : modelsDir.resolve(f.path()),
                          f == null ? null : f.sha256(),
                          f == null ? null : f.url(),
                          e.source())));
    }
    return new ModelSpec(
        id,
        kind,
        e.clip(),
        orZero(e.imageSize()),
        orZero(e.numLatents()),
        orZero(e.zDim()),
        orZero(e.numClasses()),
        e.licence(),
        e.description(),
        e.source(),
        files);
  }

  private static void checkClipModels(String where, Map<String, ModelSpec> byId) {
    List<String> clipIds =
        byId.values().stream().filter(m -> m.kind() == ModelKind.CLIP).map(ModelSpec::id).toList();
    for (ModelSpec spec : byId.values()) {
      if (!spec.kind().isGenerator()) {
        continue;
      }
      ModelSpec clip = byId.get(spec.clip());
      if (clip == null || clip.kind() != ModelKind.CLIP) {
        throw new ConfigException(
            where
                + "model '"
                + spec.id()
                + "' ("
                + spec.kind().id()
                + ") names clip model '"
                + spec.clip()
                + "', which "
                + (clip == null ? "is not in the manifest" : "is a " + clip.kind().id() + " model")
                + "; clip models: "
                + (clipIds.isEmpty() ? "none" : String.join(", ", clipIds)));
      }
    }
  }

  private static String bindingProblem(Exception e, JsonNode root) {
    if (e instanceof UnrecognizedPropertyException u) {
      String path = Yaml.pathOf(u);
      Class<?> owner = u.getReferringClass();
      String known =
          owner != null && owner.isRecord()
              ? String.join(
                  ", ",
                  Arrays.stream(owner.getRecordComponents()).map(RecordComponent::getName).toList())
              : String.valueOf(u.getKnownPropertyIds());
      return "unknown key '" + path + "'" + modelOf(path, root) + "; known keys: " + known;
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String path = Yaml.pathOf(m);
      return path
          + modelOf(path, root)
          + " must be "
          + ConfigKeys.expected(m.getTargetType())
          + ", got "
          + Yaml.describe(Yaml.nodeAt(root, m));
    }
    if (e instanceof JsonMappingException d) {
      return Yaml.pathOf(d) + ": " + Yaml.firstLine(d.getOriginalMessage());
    }
    return Yaml.firstLine(e.getMessage());
  }

  /** {@code " (model 'tiny')"} when {@code path} is inside an entry that has an id. */
  private static String modelOf(String path, JsonNode root) {
    Matcher m = MODEL_INDEX.matcher(path);
    if (!m.find()) {
      return "";
    }
    JsonNode id = root.path("models").path(Integer.parseInt(m.group(1))).path("id");
    return id.isTextual() ? " (model '" + id.asText() + "')" : "";
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
