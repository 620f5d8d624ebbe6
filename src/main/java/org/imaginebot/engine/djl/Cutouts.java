package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/** Crops square cutouts of an image and resizes each to CLIP's input size, as Big Sleep does. */
final class Cutouts {

  /** libtorch's nearest-neighbour mode, Big Sleep's default ({@code F.interpolate(mode='nearest')}). */
  private static final int NEAREST = 0;

  private Cutouts() {}

  /** A batch (N,3,224,224) of the cutouts of {@code image} (1,3,S,S). */
  static NDArray batch(NDArray image, List<Cutout> cutouts) {
    NDList pieces = new NDList(cutouts.size());
    for (Cutout c : cutouts) {
      NDArray crop = image.get(new NDIndex(":, :, {}:{}, {}:{}",
          c.top(), c.top() + c.size(), c.left(), c.left() + c.size()));
      pieces.add(resize(crop));
    }
    return NDArrays.concat(pieces, 0);
  }

  /** The whole image resized to CLIP's input, for scoring without cutouts. */
  static NDArray whole(NDArray image) {
    return resize(image);
  }

  private static NDArray resize(NDArray nchw) {
    long[] size = {ClipModel.INPUT_SIZE, ClipModel.INPUT_SIZE};
    return nchw.getNDArrayInternal().interpolation(size, NEAREST, false);
  }
}
