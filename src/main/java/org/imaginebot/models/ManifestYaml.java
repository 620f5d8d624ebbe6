package org.imaginebot.models;

import java.util.List;
import java.util.Map;

/**
 * The shape of {@code config/models.yaml} as written; {@link ModelManifest} turns it into specs.
 */
final class ManifestYaml {

  private ManifestYaml() {}

  /** The whole file. */
  record Document(List<Entry> models) {}

  /** One element of {@code models}; absent numbers are null. */
  record Entry(
      String id,
      String kind,
      String clip,
      Integer imageSize,
      Integer numLatents,
      Integer zDim,
      Integer numClasses,
      String licence,
      String description,
      String source,
      Map<String, FileEntry> files) {}

  /** One element of {@code files}: path relative to {@code engine.modelsDir}. */
  record FileEntry(String path, String sha256, String url) {}
}
