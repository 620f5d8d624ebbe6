package org.imaginebot.worker;

import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.Job;

/**
 * What a {@link Worker} reports about the jobs it runs. Called on worker threads; implementations
 * must be quick and must not throw (a slow chat platform must never hold the GPU).
 */
public interface JobEvents {

  void started(Job job);

  void progress(Job job, Progress progress);

  void finished(Job job, Outcome outcome);

  /** The job failed or ran out of time; {@code message} is written for the user. */
  void failed(Job job, JobFailure failure, String message);

  void cancelled(Job job);

  /**
   * A run ended after its job had already ended elsewhere (another worker finished it first, or a
   * moderator cancelled it); its result is dropped, so the requester hears only one ending.
   */
  void discarded(Job job);

  /** Why a job ended without an image. */
  enum JobFailure {
    /** It ran longer than {@code worker.maxJobTime}. */
    TIMED_OUT,
    /** The engine failed: a model file, a bad request for the model, a bug. */
    ERROR
  }
}
