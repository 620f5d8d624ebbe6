package org.imaginebot.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.imaginebot.config.Checks;

/** What a model in the manifest is, and which files (roles) it is made of. Lower case in YAML. */
public enum ModelKind {
  /** CLIP encoders: {@code image} (encode_image) and {@code text} (encode_text). */
  CLIP(List.of("image", "text")),
  /** A BigGAN(-deep) generator: per-layer z and class vectors plus truncation to an image. */
  BIGGAN(List.of("generator")),
  /** A StyleGAN generator: {@code mapping} (z to w) and {@code synthesis} (w to an image). */
  STYLEGAN(List.of("mapping", "synthesis"));

  private final List<String> roles;

  ModelKind(List<String> roles) {
    this.roles = roles;
  }

  /** The file roles a model of this kind has, all required. */
  public List<String> roles() {
    return roles;
  }

  /**
   * File roles a model of this kind may have: a generator's {@code discriminator} ({@code
   * forward(image float[N,3,S,S] in [-1,1]) -> float[N]} realism logits), which {@code evolve} uses
   * as a second objective.
   */
  public List<String> optionalRoles() {
    return isGenerator() ? List.of("discriminator") : List.of();
  }

  /**
   * The name used in {@code config/models.yaml}: {@code clip}, {@code biggan}, {@code stylegan}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this kind makes images (and so names a CLIP model to steer it). */
  public boolean isGenerator() {
    return this != CLIP;
  }

  /**
   * The kind named {@code id} in any case.
   *
   * @throws IllegalArgumentException naming the allowed kinds when there is none
   */
  public static ModelKind parse(String id) {
    for (ModelKind kind : values()) {
      if (kind.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "kind must be one of "
            + String.join(", ", Arrays.stream(values()).map(ModelKind::id).toList())
            + ", got "
            + Checks.quote(id));
  }
}
