package org.imaginebot.queue;

import java.time.Instant;
import java.util.Objects;
import org.imaginebot.request.GenerationRequest;

/**
 * One user's request for one image, as the queue tracks it.
 *
 * <p>Immutable: a state change gives a new {@code Job} via {@link #withState}.
 *
 * @param id the job's id
 * @param userId who asked (platform user id; owner for cancelling and fairness)
 * @param scopeId guild or workspace id, or {@code "cli"}
 * @param request what to generate
 * @param enqueuedAt when it was admitted
 * @param state where it is in its life
 */
public record Job(
    JobId id,
    String userId,
    String scopeId,
    GenerationRequest request,
    Instant enqueuedAt,
    JobState state) {

  public Job {
    Objects.requireNonNull(id, "id");
    requireNonBlank(userId, "userId");
    requireNonBlank(scopeId, "scopeId");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    Objects.requireNonNull(state, "state");
  }

  /** This job in another state. */
  public Job withState(JobState newState) {
    return new Job(id, userId, scopeId, request, enqueuedAt, newState);
  }

  static void requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " may not be blank");
    }
  }
}
