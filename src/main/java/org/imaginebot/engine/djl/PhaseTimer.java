package org.imaginebot.engine.djl;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Adds up where an {@code adam} step's time goes, phase by phase, for {@code bench engine}. {@link
 * #OFF} reads no clock. On the CPU libtorch runs each operation before returning, so wall time
 * between marks is the phase's; on a GPU the phases would need a synchronize and are not measured.
 */
final class PhaseTimer {

  /** The phases of one step, in the order they run. */
  enum Phase {
    GENERATOR,
    CUTOUTS,
    CLIP,
    BACKWARD,
    ADAM,
    PREVIEW
  }

  /** Records nothing. */
  static final PhaseTimer OFF = new PhaseTimer(null);

  private final LongSupplier nanoTime;
  private final long[] nanos = new long[Phase.values().length];
  private long last;

  PhaseTimer(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Starts timing the first phase of a step. */
  void start() {
    if (nanoTime != null) {
      last = nanoTime.getAsLong();
    }
  }

  /** Ends {@code phase}: the time since the previous mark is its. */
  void end(Phase phase) {
    if (nanoTime != null) {
      long now = nanoTime.getAsLong();
      nanos[phase.ordinal()] += now - last;
      last = now;
    }
  }

  /** Forgets what was recorded (after warm-up steps). */
  void reset() {
    java.util.Arrays.fill(nanos, 0);
  }

  /** Milliseconds per phase, by lower-case name in phase order, divided by {@code steps}. */
  Map<String, Double> millisPer(int steps) {
    Map<String, Double> millis = new LinkedHashMap<>();
    for (Phase phase : Phase.values()) {
      millis.put(phase.name().toLowerCase(Locale.ROOT), nanos[phase.ordinal()] / 1e6 / steps);
    }
    return millis;
  }
}
