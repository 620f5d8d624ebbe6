package org.imaginebot.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.imaginebot.request.GenerationRequest;

/**
 * The bounded, fair queue of image jobs between the adapters and the GPU workers.
 *
 * <p>Fairness is round-robin across users: each user has a FIFO, and {@code take} serves users in
 * rotation, a served user going to the back. One user's flood therefore delays another user's first
 * job by at most one slot. Positions and {@link #snapshot()} report exactly that order.
 *
 * <p>Admission checks the per-user cap, then the global cap (only waiting jobs count). A paused
 * queue still admits jobs but hands none out. All methods are thread-safe.
 */
public interface JobQueue {

  /** A queue kept in memory only; jobs are lost when the process ends. */
  static JobQueue inMemory(QueueLimits limits, Clock clock) {
    return new FairJobQueue(limits, clock, null, 0);
  }

  /**
   * A queue that writes every admission and state change to {@code store}: an admission is
   * committed before {@code offer} returns; a state change that cannot be stored is retried in the
   * background and logged with the job's id.
   *
   * <p>On start it reloads the store's waiting jobs in their original order; jobs that were running
   * when the process stopped are queued again at the front of their user's FIFO.
   */
  static JobQueue persistent(QueueLimits limits, Clock clock, JobStore store) {
    return FairJobQueue.recover(limits, clock, store);
  }

  /** Admits a job for {@code userId} in {@code scopeId}, or refuses it when a cap is reached. */
  default Admission offer(String userId, String scopeId, GenerationRequest request) {
    return offer(userId, scopeId, request, Integer.MAX_VALUE);
  }

  /**
   * Like {@link #offer(String, String, GenerationRequest)} with a lower per-user cap for this
   * offer, e.g. the live setting of the user's guild; the smaller of it and the queue's cap counts.
   */
  default Admission offer(
      String userId, String scopeId, GenerationRequest request, int maxQueuedForUser) {
    return offer(userId, scopeId, request, maxQueuedForUser, JobAttachment.NONE);
  }

  /**
   * Like {@link #offer(String, String, GenerationRequest, int)}, storing {@code attachment}'s rows
   * in the admission's transaction. A persistent queue returns only once the job is committed; when
   * it cannot be stored the offer is refused with {@link RefusalReason#STORE_UNAVAILABLE} and
   * nothing is queued. An in-memory queue ignores the attachment.
   */
  Admission offer(
      String userId,
      String scopeId,
      GenerationRequest request,
      int maxQueuedForUser,
      JobAttachment attachment);

  /** The next job in fair order, now running; empty when the queue is paused or empty. */
  Optional<Job> take();

  /**
   * Like {@link #take()}, but waits up to {@code timeout} for a job.
   *
   * @return the job, now running, or {@code null} when none came in time
   */
  Job take(Duration timeout) throws InterruptedException;

  /**
   * Records the end of a running job.
   *
   * @param finalState {@code DONE}, {@code FAILED} or {@code CANCELLED}
   * @return false when the job was not running (e.g. cancelled meanwhile)
   * @throws IllegalStateException when the job is still queued
   */
  boolean complete(JobId id, JobState finalState);

  /**
   * Cancels a job for its owner or a moderator.
   *
   * <p>A queued job leaves the queue; a running job is marked cancelled and the caller stops its
   * engine run. Anyone else gets {@link CancelResult#NOT_ALLOWED} and nothing changes.
   */
  CancelResult cancel(JobId id, String requesterId, boolean moderator);

  /**
   * Like {@link #take(Duration)}, but hands out only a job that {@code eligible} accepts: the first
   * such job in fair order, looking at each user's next job. Workers use it to skip guilds that
   * already run their share of the GPU; {@code eligible} runs under the queue's lock, so it must be
   * quick, and a job it accepts is handed out (it may reserve a permit).
   */
  Job take(Duration timeout, Predicate<Job> eligible) throws InterruptedException;

  /** Wakes takers waiting in {@link #take(Duration, Predicate)} to look at the queue again. */
  void recheck();

  /** The job's 1-based place in the fair order, or 0 when it is running, finished or unknown. */
  int position(JobId id);

  /** The queued jobs in the order they will run. */
  List<Job> snapshot();

  /** The running jobs, oldest first. */
  List<Job> running();

  /** Stops handing out jobs; offers are still admitted. */
  void pause();

  /** Hands out jobs again and wakes waiting takers. */
  void resume();

  boolean isPaused();

  /** Replaces the caps; the next offer is checked against them. Admitted jobs stay. */
  void setLimits(QueueLimits limits);

  QueueLimits limits();
}
