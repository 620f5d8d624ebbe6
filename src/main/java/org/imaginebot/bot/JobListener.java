package org.imaginebot.bot;

import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.Progress;

/**
 * What an adapter hears about one request it submitted. Called on worker threads: return quickly
 * (hand slow platform calls to another thread) and do not throw; an exception is logged and
 * ignored.
 */
public interface JobListener {

  /** The request waits at {@code position} (1 = next); called again whenever it moves. */
  default void queued(int position) {}

  /** The engine started on it. */
  default void started() {}

  /** One step done; {@link Progress#hasPreview()} when it carries an image. */
  default void progress(Progress progress) {}

  /**
   * The image is ready.
   *
   * @param cached true when no engine ran for this request (cache hit)
   */
  void finished(CachedImage image, boolean cached);

  /** It ended without an image; {@code message} is for the user. */
  void failed(String message);

  /** It was cancelled by its owner or a moderator. */
  default void cancelled() {}
}
