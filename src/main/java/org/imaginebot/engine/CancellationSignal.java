package org.imaginebot.engine;

import java.util.concurrent.atomic.AtomicBoolean;

/** Asks a running generation to stop at its next step boundary. Thread-safe. */
public final class CancellationSignal {

  private final AtomicBoolean cancelled = new AtomicBoolean();

  public void cancel() {
    cancelled.set(true);
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  /** Throws {@link GenerationCancelledException} when cancelled; called between steps. */
  public void throwIfCancelled(int step) {
    if (isCancelled()) {
      throw new GenerationCancelledException(step);
    }
  }
}
