package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.imaginebot.render.Png;

/** NDArray images, shape (1,3,H,W) with values in [0,1], to PNG bytes. */
final class Images {

  private Images() {}

  static byte[] toPng(NDArray image01) {
    Shape shape = image01.getShape();
    int height = (int) shape.get(2);
    int width = (int) shape.get(3);
    float[] pixels = image01.toType(DataType.FLOAT32, false).toFloatArray();
    return Png.encode(Png.fromPlanar(pixels, height, width));
  }
}
