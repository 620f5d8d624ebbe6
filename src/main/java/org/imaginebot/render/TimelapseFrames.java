package org.imaginebot.render;

import java.util.ArrayList;
import java.util.List;

/**
 * The previews of one run kept for a timelapse, at most {@code maxFrames}: when full, every other
 * frame is dropped and only every second later preview is kept, so a long run still spans start to
 * end with evenly spaced frames and bounded memory.
 */
public final class TimelapseFrames {

  private final int maxFrames;
  private final List<byte[]> frames = new ArrayList<>();
  private int stride = 1;
  private long seen;

  public TimelapseFrames(int maxFrames) {
    if (maxFrames < 2) {
      throw new IllegalArgumentException("maxFrames must be at least 2, got " + maxFrames);
    }
    this.maxFrames = maxFrames;
  }

  /** Offers the next preview PNG; kept or skipped by the current spacing. */
  public synchronized void add(byte[] png) {
    if (seen++ % stride != 0) {
      return;
    }
    if (frames.size() == maxFrames) {
      for (int i = frames.size() - 1; i >= 0; i -= 2) {
        frames.remove(i);
      }
      stride *= 2;
      if ((seen - 1) % stride != 0) {
        return;
      }
    }
    frames.add(png);
  }

  /** The frames kept so far, oldest first, plus {@code last} (the final image) when given. */
  public synchronized List<byte[]> frames(byte[] last) {
    List<byte[]> out = new ArrayList<>(frames);
    if (last != null) {
      out.add(last);
    }
    return out;
  }

  public synchronized int size() {
    return frames.size();
  }
}
