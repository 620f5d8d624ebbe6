package org.imaginebot.bot;

import java.util.Objects;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.limits.Refusal;
import org.imaginebot.queue.JobId;

/**
 * What became of a submitted request, returned at once (the image itself arrives at the listener).
 */
public sealed interface Submission {

  /** Not accepted; nothing is queued and the listener hears nothing. */
  record Refused(Refusal refusal) implements Submission {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
    }
  }

  /** Answered from the cache; the listener has already had {@code finished(image, true)}. */
  record Cached(CachedImage image) implements Submission {
    public Cached {
      Objects.requireNonNull(image, "image");
    }
  }

  /**
   * Waiting in the queue, or joined to an identical job already queued or running.
   *
   * @param jobId the job to cancel or follow
   * @param position place in the queue, 0 when it already runs
   * @param joined true when it shares an identical request's job instead of queueing its own
   */
  record Queued(JobId jobId, int position, boolean joined) implements Submission {
    public Queued {
      Objects.requireNonNull(jobId, "jobId");
    }
  }
}
