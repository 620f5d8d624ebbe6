package org.imaginebot.bot;

import org.imaginebot.request.GenerationRequest;

/**
 * How an adapter hears about a job that was asked for before a restart: the original reply is gone,
 * so it gets a listener that delivers the image where the request was made.
 */
@FunctionalInterface
public interface ResumedJobs {

  /** A listener for the resumed job; null when this adapter cannot deliver it. */
  JobListener listenerFor(Requester requester, GenerationRequest request);
}
