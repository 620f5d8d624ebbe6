package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.imaginebot.render.Png;

/** NDArray images, shape (1,3,H,W) with values in [0,1], to PNG bytes. */
final class Images {

  private Images() {}

  /** A PNG as an image (1,3,H,W) with values in [0,1], owned by {@code manager}. */
  static NDArray fromPng(NDManager manager, byte[] png) {
    java.awt.image.BufferedImage image = Png.decode(png);
    int height = image.getHeight();
    int width = image.getWidth();
    int plane = height * width;
    float[] chw = new float[3 * plane];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int i = y * width + x;
        chw[i] = ((rgb >> 16) & 0xFF) / 255f;
        chw[plane + i] = ((rgb >> 8) & 0xFF) / 255f;
        chw[2 * plane + i] = (rgb & 0xFF) / 255f;
      }
    }
    return manager.create(chw, new Shape(1, 3, height, width));
  }

  static byte[] toPng(NDArray image01) {
    Shape shape = image01.getShape();
    int height = (int) shape.get(2);
    int width = (int) shape.get(3);
    float[] pixels = image01.toType(DataType.FLOAT32, false).toFloatArray();
    return Png.encode(Png.fromPlanar(pixels, height, width));
  }
}
