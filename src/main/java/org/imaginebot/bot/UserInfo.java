package org.imaginebot.bot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.imaginebot.settings.ScopeSettings;

/**
 * What {@code /imagine-info} shows one user in one scope: their jobs, their saved defaults, today's
 * use against the quota, the scope's limits and how busy the bot is.
 *
 * @param jobs the user's running (position 0) and waiting jobs in this scope, running first
 * @param etas for each job, about how long until it is done; empty when unknown
 * @param usedToday images counted against the daily quota today
 * @param quotaResets when today's quota starts again
 * @param limits the scope's live settings
 * @param queued jobs waiting, all scopes
 * @param running jobs running, all scopes
 * @param timePerStep the most recent run's time per step; empty before any run
 * @param prefs the user's saved defaults in this scope ({@code /imagine-prefs}) and what they give
 */
public record UserInfo(
    List<QueueView.Entry> jobs,
    List<Optional<Duration>> etas,
    int usedToday,
    Instant quotaResets,
    ScopeSettings limits,
    int queued,
    int running,
    Optional<Duration> timePerStep,
    PrefsView prefs) {

  public UserInfo {
    jobs = List.copyOf(jobs);
    etas = List.copyOf(etas);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(timePerStep, "timePerStep");
    Objects.requireNonNull(prefs, "prefs");
    if (etas.size() != jobs.size()) {
      throw new IllegalArgumentException("one eta per job");
    }
  }
}
