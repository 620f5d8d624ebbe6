package org.imaginebot.request;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An image as a prompt, as big-sleep's {@code --img}: its CLIP image embedding joins the loss with
 * a weight, pulling the result towards the look of the image (a negative weight pushes away).
 *
 * @param png the image as PNG (callers convert other formats with {@code ImagePrompts.toPng})
 * @param weight the weight of its CLIP similarity, non-zero
 */
public record ImagePrompt(byte[] png, double weight) {

  /** Largest image accepted: chat attachments and CLI files alike. */
  public static final int MAX_BYTES = 8 << 20;

  public ImagePrompt {
    if (png == null || png.length == 0) {
      throw new IllegalArgumentException("an image prompt needs an image");
    }
    if (png.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "an image prompt may be at most "
              + (MAX_BYTES >> 20)
              + " MiB, got "
              + png.length
              + " bytes; use a smaller image");
    }
    if (!Double.isFinite(weight) || weight == 0.0) {
      throw new IllegalArgumentException(
          "image prompt weight must be a non-zero number, got " + weight);
    }
    png = png.clone();
  }

  @Override
  public byte[] png() {
    return png.clone();
  }

  /** SHA-256 of the PNG in hex: what the cache key and logs use instead of the bytes. */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePrompt p
        && Arrays.equals(png, p.png)
        && Double.compare(weight, p.weight) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(png) + Double.hashCode(weight);
  }

  @Override
  public String toString() {
    return "ImagePrompt["
        + png.length
        + " bytes, sha256 "
        + sha256().substring(0, 12)
        + ", weight "
        + weight
        + "]";
  }
}
