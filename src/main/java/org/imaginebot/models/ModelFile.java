package org.imaginebot.models;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.imaginebot.config.Checks;

/**
 * One file of a model in the manifest, with the digest it must have.
 *
 * <p>{@link ModelFiles#verify} checks a file against it before the engine loads it.
 *
 * @param model id of the model the file belongs to, for messages
 * @param role what the file is to the model: {@code generator}, {@code image}, ...
 * @param path where the file is: the manifest's path resolved against {@code engine.modelsDir}
 * @param sha256 expected SHA-256 of the file, 64 hex digits (stored in lower case)
 * @param url where {@code imagine-bot models fetch} can download it; null when nowhere
 * @param source how the file is made, e.g. {@code scripts/make_tiny_models.py}; null when unknown
 */
public record ModelFile(
    String model, String role, Path path, String sha256, String url, String source) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public ModelFile {
    Checks.notBlank("model file model", model);
    Checks.notBlank("model file role (model " + model + ")", role);
    if (path == null || path.toString().isBlank()) {
      throw new IllegalArgumentException(
          "model '" + model + "' file " + role + " needs a path, got nothing");
    }
    sha256 = sha256 == null ? null : sha256.strip().toLowerCase(Locale.ROOT);
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "model '"
              + model
              + "' file "
              + role
              + " needs sha256 of 64 hex digits, got "
              + Checks.quote(sha256));
    }
    if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException(
          "model '"
              + model
              + "' file "
              + role
              + " url must start with https:// or http://, got "
              + Checks.quote(url));
    }
    if (source != null && source.isBlank()) {
      source = null;
    }
  }

  /** {@code models/tiny/biggan.pt (model tiny, role generator)}, the way messages name it. */
  String describe() {
    return path + " (model " + model + ", role " + role + ")";
  }
}
