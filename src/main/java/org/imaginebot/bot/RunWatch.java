package org.imaginebot.bot;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.imaginebot.engine.Progress;
import org.imaginebot.render.TimelapseFrames;

/**
 * What a chat reply follows of one run, whatever the platform: the time left from the pace so far,
 * the newest preview, and evenly spaced previews for a Timelapse button. Thread-safe.
 */
public final class RunWatch {

  /** Previews kept for a timelapse, evenly spaced over the run. */
  private static final int TIMELAPSE_FRAMES = 100;

  private final LongSupplier nanoTime;
  private final TimelapseFrames frames = new TimelapseFrames(TIMELAPSE_FRAMES);
  private volatile long startedNanos;
  private volatile byte[] lastPreview;

  public RunWatch(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.startedNanos = nanoTime.getAsLong();
  }

  /** The run began now (it may have waited in the queue before). */
  public void started() {
    startedNanos = nanoTime.getAsLong();
  }

  /** Takes {@code progress}'s preview, if any; returns the time left at the pace so far. */
  public Duration progress(Progress progress) {
    if (progress.hasPreview()) {
      lastPreview = progress.previewPng();
      frames.add(progress.previewPng());
    }
    long elapsed = nanoTime.getAsLong() - startedNanos;
    return Duration.ofNanos(
        elapsed / Math.max(1, progress.step()) * (progress.total() - progress.step()));
  }

  /** The newest preview PNG; null before the first. */
  public byte[] lastPreview() {
    return lastPreview;
  }

  /**
   * Keeps the previews, ending with {@code finalPng}, under {@code ref} for a Timelapse button;
   * false (nothing kept) when there were none or there is no ref (a reply without buttons).
   */
  public boolean keepTimelapse(Timelapses timelapses, String ref, byte[] finalPng) {
    if (ref == null || frames.size() == 0) {
      return false;
    }
    timelapses.put(ref, frames.frames(finalPng));
    return true;
  }
}
