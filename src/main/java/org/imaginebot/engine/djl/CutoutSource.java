package org.imaginebot.engine.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chooses the cutouts of each optimization step.
 *
 * <p>Injectable so a test can replay the exact boxes of a reference run; {@link #bigSleep(long)}
 * samples them as Big Sleep does.
 */
@FunctionalInterface
public interface CutoutSource {

  List<Cutout> next(int imageSize, int count);

  /**
   * Big Sleep's sampling: side ~ N(0.8, 0.3) of the image, clipped to [0.5, 0.95], truncated to an
   * int; offsets uniform over every position where the crop fits.
   */
  static CutoutSource bigSleep(long seed) {
    Random random = new Random(seed);
    return (imageSize, count) -> {
      List<Cutout> cutouts = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        double fraction = Math.min(0.95, Math.max(0.5, 0.8 + 0.3 * random.nextGaussian()));
        int size = (int) (imageSize * fraction);
        int top = random.nextInt(imageSize - size + 1);
        int left = random.nextInt(imageSize - size + 1);
        cutouts.add(new Cutout(size, top, left));
      }
      return cutouts;
    };
  }
}
