package org.imaginebot.engine.djl;

import java.util.Random;

/** Normal samples drawn in a fixed order from a seeded {@link Random}, so runs are reproducible. */
final class Gaussians {

  private Gaussians() {}

  /** {@code n} standard normal values. */
  static float[] standard(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  /**
   * {@code n} standard normal values redrawn until within [-bound, bound] (BigGAN's truncation
   * trick).
   */
  static float[] truncated(Random random, int n, double bound) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      double v;
      do {
        v = random.nextGaussian();
      } while (Math.abs(v) > bound);
      values[i] = (float) v;
    }
    return values;
  }
}
