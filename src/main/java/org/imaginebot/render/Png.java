package org.imaginebot.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * PNG encoding of RGB images, deterministic: the same pixels always give the same bytes; and {@code
 * tEXt} chunks, written and read at the byte level so they stay deterministic too.
 */
public final class Png {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int IHDR_END = SIGNATURE.length + 4 + 4 + 13 + 4;
  private static final String TEXT = "tEXt";

  private Png() {}

  /**
   * An RGB image from planar floats in [0,1] (channel, row, column order), rounded as torchvision's
   * {@code save_image} does: {@code floor(x * 255 + 0.5)} clamped to [0, 255].
   */
  public static BufferedImage fromPlanar(float[] chw, int height, int width) {
    int plane = height * width;
    if (chw.length != 3 * plane) {
      throw new IllegalArgumentException(
          "expected 3x" + height + "x" + width + " = " + 3 * plane + " values, got " + chw.length);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        int rgb =
            (toByte(chw[i]) << 16) | (toByte(chw[plane + i]) << 8) | toByte(chw[2 * plane + i]);
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  public static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer available in this JRE");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static BufferedImage decode(byte[] png) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      if (image == null) {
        throw new IllegalArgumentException("not an image (" + png.length + " bytes)");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The PNG scaled to {@code side} x {@code side} pixels with bicubic interpolation, or the same
   * bytes when it already has that size. Generators are square, so the aspect ratio is kept.
   */
  public static byte[] resize(byte[] png, int side) {
    if (side < 1) {
      throw new IllegalArgumentException("side must be at least 1 pixel, got " + side);
    }
    BufferedImage source = decode(png);
    if (source.getWidth() == side && source.getHeight() == side) {
      return png;
    }
    BufferedImage scaled = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, side, side, null);
    } finally {
      g.dispose();
    }
    return encode(scaled);
  }

  /**
   * {@code png} with a {@code tEXt} chunk {@code keyword} = {@code text} right after the header, in
   * place of any chunk with that keyword. Same input, same bytes; the pixels are untouched.
   *
   * @param keyword 1 to 79 printable Latin-1 characters, as the PNG specification allows
   * @param text Latin-1 without NUL ({@code tEXt}'s character set): callers escape anything else
   * @throws IllegalArgumentException when {@code png} is not a PNG or the text cannot be stored
   */
  public static byte[] withText(byte[] png, String keyword, String text) {
    checkKeyword(keyword);
    if (!latin1WithoutNul(text)) {
      throw new IllegalArgumentException("tEXt holds Latin-1 text without NUL only");
    }
    if (!isPng(png) || !type(png, SIGNATURE.length).equals("IHDR")) {
      throw new IllegalArgumentException("not a PNG (" + png.length + " bytes)");
    }
    byte[] data = (keyword + '\0' + text).getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + data.length + 12);
    out.write(png, 0, IHDR_END);
    writeChunk(out, TEXT, data);
    int at = IHDR_END;
    while (at < png.length) {
      int end = chunkEnd(png, at);
      if (end < 0) {
        throw new IllegalArgumentException("not a well-formed PNG: a chunk runs past the end");
      }
      if (!keyword.equals(textKeyword(png, at))) {
        out.write(png, at, end - at);
      }
      at = end;
    }
    return out.toByteArray();
  }

  /**
   * The text of the {@code tEXt} chunk {@code keyword}; empty when there is none, or when {@code
   * png} is not a well-formed PNG up to it (a chunk with a wrong CRC counts as absent).
   */
  public static Optional<String> text(byte[] png, String keyword) {
    if (png == null || !isPng(png)) {
      return Optional.empty();
    }
    int at = SIGNATURE.length;
    while (at < png.length) {
      int end = chunkEnd(png, at);
      if (end < 0) {
        return Optional.empty();
      }
      if (keyword.equals(textKeyword(png, at)) && crcMatches(png, at, end)) {
        int start = at + 8 + keyword.length() + 1;
        return Optional.of(new String(png, start, end - 4 - start, StandardCharsets.ISO_8859_1));
      }
      if (type(png, at).equals("IEND")) {
        return Optional.empty();
      }
      at = end;
    }
    return Optional.empty();
  }

  private static boolean isPng(byte[] png) {
    return png.length >= IHDR_END
        && Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
  }

  /** The offset after the chunk at {@code at} (length, type, data, CRC), or -1 past the end. */
  private static int chunkEnd(byte[] png, int at) {
    if (png.length - at < 12) {
      return -1;
    }
    long length = readInt(png, at) & 0xFFFF_FFFFL;
    long end = at + 12L + length;
    return end > png.length ? -1 : (int) end;
  }

  private static String type(byte[] png, int at) {
    return new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
  }

  /** The keyword of the {@code tEXt} chunk at {@code at}; null for another chunk. */
  private static String textKeyword(byte[] png, int at) {
    if (!type(png, at).equals(TEXT)) {
      return null;
    }
    int start = at + 8;
    int end = chunkEnd(png, at) - 4;
    for (int i = start; i < end; i++) {
      if (png[i] == 0) {
        return new String(png, start, i - start, StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static boolean crcMatches(byte[] png, int at, int end) {
    CRC32 crc = new CRC32();
    crc.update(png, at + 4, end - 4 - (at + 4));
    return (int) crc.getValue() == readInt(png, end - 4);
  }

  private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    writeInt(out, data.length);
    out.write(typeBytes, 0, 4);
    out.write(data, 0, data.length);
    writeInt(out, (int) crc.getValue());
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24
        | (b[at + 1] & 0xFF) << 16
        | (b[at + 2] & 0xFF) << 8
        | b[at + 3] & 0xFF;
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static void checkKeyword(String keyword) {
    boolean ok =
        keyword != null
            && !keyword.isEmpty()
            && keyword.length() <= 79
            && !keyword.startsWith(" ")
            && !keyword.endsWith(" ")
            && keyword.chars().allMatch(c -> (c >= 32 && c <= 126) || (c >= 161 && c <= 255));
    if (!ok) {
      throw new IllegalArgumentException(
          "a tEXt keyword is 1 to 79 printable Latin-1 characters, got " + keyword);
    }
  }

  private static boolean latin1WithoutNul(String text) {
    return text.chars().allMatch(c -> c > 0 && c <= 255);
  }

  private static int toByte(float value) {
    double scaled = Math.floor(value * 255.0 + 0.5);
    return (int) Math.max(0, Math.min(255, Double.isNaN(scaled) ? 0 : scaled));
  }
}
