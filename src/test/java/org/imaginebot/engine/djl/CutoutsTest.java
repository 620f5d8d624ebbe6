package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Cutouts#resize} (public DJL API) against libtorch's own nearest interpolation, which Big
 * Sleep uses and which DJL only exposes through its internal {@code NDArrayEx}: same pixels, same
 * gradients.
 */
final class CutoutsTest {

  private static final int NEAREST = 0;

  @BeforeAll
  static void nativeSettings() {
    NativeSettings.apply();
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 128, 224, 225, 300, 512})
  void resize_picksTheSamePixelsAsLibtorchNearest(int side) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      manager.getEngine().setRandomSeed(side);
      NDArray image = manager.randomUniform(-1, 1, new Shape(2, 3, side, side));

      NDArray ours = Cutouts.resize(image);
      NDArray libtorch =
          image
              .getNDArrayInternal()
              .interpolation(
                  new long[] {ClipModel.INPUT_SIZE, ClipModel.INPUT_SIZE}, NEAREST, false);

      assertThat(ours.getShape())
          .isEqualTo(new Shape(2, 3, ClipModel.INPUT_SIZE, ClipModel.INPUT_SIZE));
      assertThat(ours.toFloatArray()).containsExactly(libtorch.toFloatArray());
    }
  }

  @Test
  void resize_hasLibtorchNearestsGradient() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      manager.getEngine().setRandomSeed(7);
      NDArray weights =
          manager.randomUniform(-1, 1, new Shape(1, 3, ClipModel.INPUT_SIZE, ClipModel.INPUT_SIZE));
      float[] ours = gradient(manager, weights, true);
      float[] libtorch = gradient(manager, weights, false);

      assertThat(ours).containsExactly(libtorch);
      assertThat(ours)
          .as("a 300-pixel side skips some pixels and repeats none: gradients 0 and w")
          .contains(0f);
    }
  }

  private static float[] gradient(NDManager manager, NDArray weights, boolean ours) {
    NDArray image = manager.randomUniform(-1, 1, new Shape(1, 3, 300, 300));
    image.setRequiresGradient(true);
    NDArray loss =
        Autograd.recording(
            () -> {
              NDArray resized =
                  ours
                      ? Cutouts.resize(image)
                      : image
                          .getNDArrayInternal()
                          .interpolation(
                              new long[] {ClipModel.INPUT_SIZE, ClipModel.INPUT_SIZE},
                              NEAREST,
                              false);
              return resized.mul(weights).sum();
            });
    Autograd.backward(loss);
    return image.getGradient().toFloatArray();
  }

  @Test
  void nearestSources_followLibtorchsFloatFormula() {
    assertThat(Cutouts.nearestSources(4, 8)).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
    assertThat(Cutouts.nearestSources(8, 4)).containsExactly(0, 2, 4, 6);
    assertThat(Cutouts.nearestSources(3, 3)).containsExactly(0, 1, 2);
  }
}
