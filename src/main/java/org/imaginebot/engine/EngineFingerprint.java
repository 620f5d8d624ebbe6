package org.imaginebot.engine;

import java.util.Locale;
import java.util.TreeMap;
import org.imaginebot.models.ModelFile;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;

/**
 * Everything besides the request that decides a generated image's pixels: the sha256 of every file
 * of the generator and its CLIP model, and the engine settings the strategies read. Part of the
 * result cache's key, so a new export or a changed setting never serves an old image.
 */
public final class EngineFingerprint {

  /** Bumped when the engine's own computation changes in a way that changes pixels. */
  static final int ENGINE_REVISION = 1;

  private EngineFingerprint() {}

  public static String of(EngineConfig config, ModelManifest manifest, String modelId) {
    ModelSpec generator = manifest.require(modelId);
    TreeMap<String, String> files = new TreeMap<>();
    addFiles(files, generator);
    if (generator.clip() != null) {
      addFiles(files, manifest.require(generator.clip()));
    }
    return String.format(
        Locale.ROOT,
        "engine=%d;cutouts=%d;lr=%s;truncation=%s;styleTruncation=%s;topK=%d;files=%s",
        ENGINE_REVISION,
        config.cutouts(),
        config.learningRate(),
        config.truncation(),
        config.styleTruncation(),
        config.searchTopK(),
        files);
  }

  private static void addFiles(TreeMap<String, String> files, ModelSpec spec) {
    for (ModelFile f : spec.files().values()) {
      files.put(spec.id() + "/" + f.role(), f.sha256());
    }
  }
}
