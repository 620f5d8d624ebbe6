package org.imaginebot.engine;

/** Receives a run's progress on the engine's thread; must return quickly. */
@FunctionalInterface
public interface ProgressListener {

  ProgressListener NONE = progress -> {};

  void onProgress(Progress progress);
}
