package org.imaginebot.request;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The result cache's key for one request: the SHA-256, in lower-case hex, of the request's
 * canonical form.
 *
 * <p>Requests that must give the same image get the same key: prompt text is compared as CLIP's
 * tokenizer sees it (whitespace runs collapsed, ends stripped, lower-cased), weights are rounded to
 * 3 decimals, and prompts are sorted because the weighted sum does not depend on their order. The
 * model id, strategy, steps, seed, output size, variation (only when not 0, so keys of plain
 * requests did not change when variations came; grid and origin likewise) and the engine
 * fingerprint (model files' SHA-256 and the engine settings that change pixels) are part of the key
 * too. {@code continuedFrom} is not: it says how the image may be made, not what it is.
 *
 * @param hex 64 lower-case hex digits
 */
public record CacheKey(String hex) {

  /** Bumped when the canonical form changes, so old disk entries are never served. */
  private static final String VERSION = "imagine-bot/cache-key/2";

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  public CacheKey {
    if (hex == null || !HEX64.matcher(hex).matches()) {
      throw new IllegalArgumentException("cache key must be 64 lower-case hex digits, got " + hex);
    }
  }

  /**
   * The key of {@code request} generated with the engine described by {@code engineFingerprint}.
   *
   * @param engineFingerprint model files' SHA-256 plus pixel-changing engine settings, e.g. from
   *     {@code EngineFingerprint.of}
   */
  public static CacheKey of(GenerationRequest request, String engineFingerprint) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(engineFingerprint, "engineFingerprint");
    return new CacheKey(HexFormat.of().formatHex(sha256(canonical(request, engineFingerprint))));
  }

  /** One field per line, each value length-prefixed so no text can forge a field boundary. */
  static String canonical(GenerationRequest request, String engineFingerprint) {
    StringBuilder sb = new StringBuilder(VERSION).append('\n');
    promptLines(request).forEach(sb::append);
    sb.append(field("model", request.model()))
        .append(field("strategy", request.strategy().id()))
        .append(field("steps", Integer.toString(request.steps())))
        .append(field("seed", Long.toString(request.seed())))
        .append(field("size", Integer.toString(request.size())))
        .append(
            request.variation() == 0
                ? ""
                : field("variation", Integer.toString(request.variation())))
        // Likewise only when set: a contact sheet, and the run a re-prompt went on from (its own
        // canonical form, so a chain of re-prompts is keyed by all of it).
        .append(request.grid() == 0 ? "" : field("grid", Integer.toString(request.grid())))
        .append(
            request.origin() == null
                ? ""
                : field("origin", canonical(request.origin(), engineFingerprint)))
        .append(field("engine", engineFingerprint));
    return sb.toString();
  }

  /**
   * Text and image prompts with their weights, sorted: the weighted sum does not depend on order.
   */
  static List<String> promptLines(GenerationRequest request) {
    List<String> prompts = new ArrayList<>();
    for (WeightedPrompt p : request.prompts()) {
      prompts.add(field("prompt", normalize(p.text())) + field("weight", round(p.weight())));
    }
    for (ImagePrompt image : request.images()) {
      prompts.add(field("image", image.sha256()) + field("weight", round(image.weight())));
    }
    prompts.sort(null);
    return prompts;
  }

  /** What CLIP's tokenizer keeps of a prompt's spelling: no case, no extra whitespace. */
  static String normalize(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
  }

  static String round(double weight) {
    return BigDecimal.valueOf(weight).setScale(3, RoundingMode.HALF_UP).toPlainString();
  }

  static String field(String name, String value) {
    return name + "=" + value.length() + ":" + value + "\n";
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
