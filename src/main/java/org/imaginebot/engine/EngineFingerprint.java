package org.imaginebot.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.imaginebot.models.ModelFile;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;

/**
 * Everything besides the request that decides a generated image's pixels: the engine's revision,
 * the engine settings the strategies read, and the sha256 of every file of the generator and its
 * CLIP model. {@link #key} is part of the result cache's key, so a new export or a changed setting
 * never serves an old image; an image's provenance records the fields, so a re-make can say what
 * differs.
 *
 * @param revision {@link #REVISION} of the engine that made the image
 * @param cutouts {@code engine.cutouts}
 * @param learningRate {@code engine.learningRate}
 * @param truncation {@code engine.truncation}
 * @param styleTruncation {@code engine.styleTruncation}
 * @param searchTopK {@code engine.searchTopK}
 * @param files sha256 by {@code model/role}, e.g. {@code tiny/generator}; kept sorted by key
 */
public record EngineFingerprint(
    int revision,
    int cutouts,
    double learningRate,
    double truncation,
    double styleTruncation,
    int searchTopK,
    Map<String, String> files) {

  /**
   * The engine's version as far as pixels go: bumped when its computation changes in a way that
   * changes them, and only then, so images stay reproducible across builds that keep it.
   */
  public static final int REVISION = 1;

  public EngineFingerprint {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** The fingerprint of {@code modelId} (a generator) and its CLIP model under {@code config}. */
  public static EngineFingerprint of(EngineConfig config, ModelManifest manifest, String modelId) {
    ModelSpec generator = manifest.require(modelId);
    TreeMap<String, String> files = new TreeMap<>();
    addFiles(files, generator);
    if (generator.clip() != null) {
      addFiles(files, manifest.require(generator.clip()));
    }
    return new EngineFingerprint(
        REVISION,
        config.cutouts(),
        config.learningRate(),
        config.truncation(),
        config.styleTruncation(),
        config.searchTopK(),
        files);
  }

  /** The cache key's engine part; its format is fixed, as changing it would empty every cache. */
  public String key() {
    return String.format(
        Locale.ROOT,
        "engine=%d;cutouts=%d;lr=%s;truncation=%s;styleTruncation=%s;topK=%d;files=%s",
        revision,
        cutouts,
        learningRate,
        truncation,
        styleTruncation,
        searchTopK,
        files);
  }

  /** The settings by their configuration keys, e.g. {@code engine.cutouts -> 32}, for messages. */
  public Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("engine.cutouts", Integer.toString(cutouts));
    settings.put("engine.learningRate", Double.toString(learningRate));
    settings.put("engine.truncation", Double.toString(truncation));
    settings.put("engine.styleTruncation", Double.toString(styleTruncation));
    settings.put("engine.searchTopK", Integer.toString(searchTopK));
    return Collections.unmodifiableMap(settings);
  }

  private static void addFiles(TreeMap<String, String> files, ModelSpec spec) {
    for (ModelFile f : spec.files().values()) {
      files.put(spec.id() + "/" + f.role(), f.sha256());
    }
  }
}
