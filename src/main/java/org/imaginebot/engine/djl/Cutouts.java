package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Crops square cutouts of an image and resizes each to CLIP's input size, as Big Sleep does. */
final class Cutouts {

  private Cutouts() {}

  /** A batch (N,3,224,224) of the cutouts of {@code image} (1,3,S,S). */
  static NDArray batch(NDArray image, List<Cutout> cutouts) {
    NDList pieces = new NDList(cutouts.size());
    for (Cutout c : cutouts) {
      NDArray crop =
          image.get(
              new NDIndex(
                  ":, :, {}:{}, {}:{}",
                  c.top(),
                  c.top() + c.size(),
                  c.left(),
                  c.left() + c.size()));
      pieces.add(resize(crop));
    }
    return NDArrays.concat(pieces, 0);
  }

  /** The whole image resized to CLIP's input, for scoring without cutouts. */
  static NDArray whole(NDArray image) {
    return resize(image);
  }

  /**
   * Nearest-neighbour resize of (N,C,H,W) to CLIP's input, exactly as Big Sleep's {@code
   * F.interpolate(mode='nearest')}, through DJL's public {@code gather} (its {@code interpolation}
   * lives in an internal package): one gather picks the rows, one the columns.
   */
  static NDArray resize(NDArray nchw) {
    Shape shape = nchw.getShape();
    int size = ClipModel.INPUT_SIZE;
    NDArray rows =
        sources(nchw, shape.get(2), size)
            .reshape(1, 1, size, 1)
            .broadcast(new Shape(shape.get(0), shape.get(1), size, shape.get(3)));
    NDArray cols =
        sources(nchw, shape.get(3), size)
            .reshape(1, 1, 1, size)
            .broadcast(new Shape(shape.get(0), shape.get(1), size, size));
    return nchw.gather(rows, 2).gather(cols, 3);
  }

  /**
   * The source index of each output pixel in libtorch's legacy nearest mode: {@code min(floor(i *
   * (in / out)), in - 1)} in float32, as {@code nearest_idx} computes it.
   */
  static long[] nearestSources(long in, int out) {
    float scale = (float) in / out;
    long[] sources = new long[out];
    for (int i = 0; i < out; i++) {
      sources[i] = Math.min((long) Math.floor(i * scale), in - 1);
    }
    return sources;
  }

  /**
   * The indices as a libtorch-owned tensor: autograd keeps them for the backward pass (see {@link
   * Scalars}).
   */
  private static NDArray sources(NDArray like, long in, int out) {
    try (NDArray javaOwned = like.getManager().create(nearestSources(in, out))) {
      return javaOwned.duplicate();
    }
  }
}
