package org.imaginebot.engine;

import org.imaginebot.request.GenerationRequest;

/**
 * Turns a {@link GenerationRequest} into an image.
 *
 * <p>Runs on the calling thread, reports every step to the listener (with a PNG preview every few
 * steps), checks the cancellation signal between steps and returns the best image of the run, not
 * only the last.
 */
public interface Engine extends AutoCloseable {

  /**
   * Runs the request to the end or until cancelled.
   *
   * @throws GenerationCancelledException when {@code cancel} was signalled between two steps
   * @throws IllegalArgumentException when the request names an unknown model or cannot run on it
   * @throws IllegalStateException when a model file is missing or corrupt
   */
  GenerationResult generate(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel);

  /** Releases native memory held by loaded models. */
  @Override
  void close();
}
