package org.imaginebot.bot;

import java.time.Instant;
import java.util.Objects;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.GenerationRequest;

/**
 * One {@code action_ref} row on its way to the database: what {@link RefWriter} stores and what
 * {@link ActionRefs#entry} answers from memory until it is stored. The job that made the image may
 * be learnt after the row was handed over (a queued job's id), so it is the one mutable field.
 */
final class PendingRef {

  final String ref;
  final GenerationRequest request;
  final String requesterId;
  final String scopeId;
  final Instant expiresAt;
  private volatile JobId job;

  PendingRef(
      String ref, GenerationRequest request, Requester requester, Instant expiresAt, JobId job) {
    this.ref = Objects.requireNonNull(ref, "ref");
    this.request = Objects.requireNonNull(request, "request");
    this.requesterId = requester.userId();
    this.scopeId = requester.scopeId();
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.job = job;
  }

  JobId job() {
    return job;
  }

  void job(JobId made) {
    job = made;
  }

  boolean expiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }

  ActionRefs.Entry entry() {
    JobId made = job;
    return new ActionRefs.Entry(request, requesterId, scopeId, made == null ? null : made.value());
  }
}
