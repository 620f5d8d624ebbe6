package org.imaginebot.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG encoding of RGB images, deterministic: the same pixels always give the same bytes. */
public final class Png {

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

  private static int toByte(float value) {
    double scaled = Math.floor(value * 255.0 + 0.5);
    return (int) Math.max(0, Math.min(255, Double.isNaN(scaled) ? 0 : scaled));
  }
}
