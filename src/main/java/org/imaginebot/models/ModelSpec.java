package org.imaginebot.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.imaginebot.config.Checks;

/**
 * One model of the manifest: its kind, contract (sizes of latents and image), licence and files.
 *
 * <p>Required per kind: {@code biggan} needs {@code clip}, {@code imageSize}, {@code numLatents},
 * {@code zDim}, {@code numClasses} and file {@code generator}; {@code stylegan} needs {@code clip},
 * {@code imageSize}, {@code zDim} and files {@code mapping} and {@code synthesis}; {@code clip}
 * needs files {@code image} and {@code text} and names no clip model. Numbers a kind does not use
 * are 0.
 *
 * @param id unique id, e.g. {@code tiny}; letters, digits, {@code .}, {@code _} and {@code -}
 * @param kind what the model is
 * @param clip id of the CLIP model that steers a generator; null for a CLIP model
 * @param imageSize side of the generated square image in pixels; 0 for a CLIP model
 * @param numLatents latent rows (BigGAN-deep: one per generator layer, plus one)
 * @param zDim length of one latent vector z
 * @param numClasses number of classes of a class-conditional generator (BigGAN: 1000)
 * @param licence licence of the weights
 * @param description one line for people; empty when none
 * @param source how the files are made, e.g. {@code scripts/make_tiny_models.py}
 * @param files the model's files by role: every one of {@link ModelKind#roles()}, and any of {@link
 *     ModelKind#optionalRoles()}
 */
public record ModelSpec(
    String id,
    ModelKind kind,
    String clip,
    int imageSize,
    int numLatents,
    int zDim,
    int numClasses,
    String licence,
    String description,
    String source,
    Map<String, ModelFile> files) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public ModelSpec {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "model id must be letters, digits, '.', '_' or '-', got " + Checks.quote(id));
    }
    if (kind == null) {
      throw new IllegalArgumentException(
          "model '" + id + "' needs a kind: clip, biggan or stylegan");
    }
    String what = "model '" + id + "' (" + kind.id() + ")";
    if (kind.isGenerator()) {
      if (clip == null || clip.isBlank()) {
        throw new IllegalArgumentException(
            what + " needs clip: the id of the CLIP model that steers it");
      }
      between(what, "imageSize", imageSize, 1, 4096);
      between(what, "zDim", zDim, 1, 4096);
    } else {
      if (clip != null) {
        throw new IllegalArgumentException(
            what + " must not name a clip model, got '" + clip + "'");
      }
      between(what, "imageSize", imageSize, 0, 4096);
    }
    if (kind == ModelKind.BIGGAN) {
      between(what, "numLatents", numLatents, 1, 64);
      between(what, "numClasses", numClasses, 1, 100_000);
    } else {
      between(what, "numLatents", numLatents, 0, 64);
      between(what, "numClasses", numClasses, 0, 100_000);
    }
    if (licence == null || licence.isBlank()) {
      throw new IllegalArgumentException(
          what + " needs a licence: whose weights and on what terms");
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException(what + " needs a source: how its files are made");
    }
    description = description == null ? "" : description.strip();
    files = checkFiles(what, id, kind, files == null ? Map.of() : files);
  }

  /**
   * The file with {@code role}.
   *
   * @throws IllegalArgumentException naming the model and its roles when it has no such file
   */
  public ModelFile file(String role) {
    ModelFile file = files.get(role);
    if (file == null) {
      throw new IllegalArgumentException(
          "model '"
              + id
              + "' ("
              + kind.id()
              + ") has no file '"
              + role
              + "'; its files: "
              + String.join(", ", files.keySet()));
    }
    return file;
  }

  /** The file with {@code role} when the model has one, e.g. an optional {@code discriminator}. */
  public java.util.Optional<ModelFile> optionalFile(String role) {
    return java.util.Optional.ofNullable(files.get(role));
  }

  private static void between(String what, String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " needs " + field + " between " + min + " and " + max + ", got " + value);
    }
  }

  private static Map<String, ModelFile> checkFiles(
      String what, String id, ModelKind kind, Map<String, ModelFile> files) {
    for (String role : files.keySet()) {
      if (!kind.roles().contains(role) && !kind.optionalRoles().contains(role)) {
        List<String> known = new java.util.ArrayList<>(kind.roles());
        known.addAll(kind.optionalRoles());
        throw new IllegalArgumentException(
            what
                + " has a file with unknown role '"
                + role
                + "'; files of "
                + kind.id()
                + ": "
                + String.join(", ", known));
      }
    }
    Map<String, ModelFile> ordered = new LinkedHashMap<>();
    for (String role : kind.roles()) {
      ModelFile file = files.get(role);
      if (file == null) {
        throw new IllegalArgumentException(
            what + " needs files " + String.join(", ", kind.roles()) + "; " + role + " is missing");
      }
      if (!file.role().equals(role) || !file.model().equals(id)) {
        throw new IllegalArgumentException(
            what + " lists file " + file.describe() + " under role '" + role + "'");
      }
      ordered.put(role, file);
    }
    for (String role : kind.optionalRoles()) {
      ModelFile file = files.get(role);
      if (file != null) {
        if (!file.role().equals(role) || !file.model().equals(id)) {
          throw new IllegalArgumentException(
              what + " lists file " + file.describe() + " under role '" + role + "'");
        }
        ordered.put(role, file);
      }
    }
    return Collections.unmodifiableMap(ordered);
  }
}
