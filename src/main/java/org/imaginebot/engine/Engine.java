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

  /**
   * Continues a run from {@code state} for {@code moreSteps} more steps: steps {@code state.step()
   * + 1} to {@code state.step() + moreSteps}, reported as such, the latents and optimizer state
   * restored. The result is the best image of all steps (the first part's too) and carries the new
   * state, so it can be continued again.
   *
   * @param request the request that made {@code state} (its steps are {@code state.step()})
   * @throws UnsupportedOperationException when this engine cannot continue runs
   * @throws IllegalArgumentException when the state does not fit the request or its model
   */
  default GenerationResult resume(
      GenerationRequest request,
      RunState state,
      int moreSteps,
      ProgressListener listener,
      CancellationSignal cancel) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot continue a run");
  }

  /** Releases native memory held by loaded models. */
  @Override
  void close();
}
