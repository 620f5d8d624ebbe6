package org.imaginebot.bot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.engine.Progress;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.queue.Admission;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobAttachment;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.request.CacheKey;
import org.imaginebot.worker.JobEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who listens to which job: the requester of each queued job plus everyone who joined it with an
 * identical request (coalescing). Turns the worker's {@link JobEvents} into {@link JobListener}
 * calls, keeps queue positions current and records the job metrics.
 *
 * <p>An offer and the registration of its listener happen under one lock that {@link #started} also
 * takes, so a job a worker picks up at once never starts unheard.
 */
public final class Subscriptions implements JobEvents {

  private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

  private record Subscriber(String userId, JobListener listener) {}

  /** One job's listeners and what they have been told. */
  private static final class Entry {
    final CacheKey key; // null: a random-seed job, which nobody may join
    final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    volatile int position;
    volatile Instant startedAt;

    Entry(CacheKey key) {
      this.key = key;
    }
  }

  private final JobQueue queue;
  private final BotMetrics metrics;
  private final Clock clock;
  private final ConcurrentMap<JobId, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentMap<CacheKey, JobId> byKey = new ConcurrentHashMap<>();
  private final ReplyAddresses addresses;
  private final ConcurrentMap<String, ResumedJobs> resumedBySource = new ConcurrentHashMap<>();

  /** Time per step of the run that reported progress last: what /imagine-info shows. */
  private volatile Duration recentTimePerStep;

  /**
   * @param addresses who asked for each job, so a job resumed after a restart can be delivered
   */
  public Subscriptions(JobQueue queue, BotMetrics metrics, Clock clock, ReplyAddresses addresses) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
  }

  /** How long a step took in the most recent run; empty before any run reported progress. */
  Optional<Duration> recentTimePerStep() {
    return Optional.ofNullable(recentTimePerStep);
  }

  /** Who delivers resumed jobs that were asked for through {@code source} (e.g. discord). */
  void onResumed(String source, ResumedJobs resumed) {
    resumedBySource.put(source, resumed);
  }

  /**
   * Runs the queue offer, with where the job was asked for stored in its admission transaction,
   * and, when admitted, registers the requester as the job's listener and tells it its position
   * (before any worker can report the job started).
   */
  Admission offer(
      Function<JobAttachment, Admission> offer,
      CacheKey key,
      Requester requester,
      JobListener listener) {
    return register(
        () -> offer.apply(addresses.attachment(requester)), key, requester.userId(), listener);
  }

  private synchronized Admission register(
      Supplier<Admission> offer, CacheKey key, String userId, JobListener listener) {
    Admission admission = offer.get();
    if (admission instanceof Admitted admitted) {
      Entry entry = new Entry(key);
      entry.position = admitted.position();
      entry.subscribers.add(new Subscriber(userId, listener));
      entries.put(admitted.job().id(), entry);
      if (key != null) {
        byKey.putIfAbsent(key, admitted.job().id());
      }
      notify(entry.subscribers.get(0), l -> l.queued(admitted.position()));
    }
    return admission;
  }

  /**
   * Adds a listener to the queued or running job of an identical request, if there is one, and
   * tells it the job's position, or that it has started.
   *
   * @return the job and the listener's position (0 when it runs)
   */
  synchronized Optional<Submission.Queued> join(CacheKey key, String userId, JobListener listener) {
    JobId id = byKey.get(key);
    Entry entry = id == null ? null : entries.get(id);
    if (entry == null) {
      return Optional.empty();
    }
    Subscriber subscriber = new Subscriber(userId, listener);
    entry.subscribers.add(subscriber);
    int position = entry.startedAt == null ? entry.position : 0;
    notify(subscriber, position == 0 ? JobListener::started : l -> l.queued(position));
    return Optional.of(new Submission.Queued(id, position, true));
  }

  /** True when someone besides {@code userId} listens to the job. */
  boolean sharedWithOthers(JobId id, String userId) {
    Entry entry = entries.get(id);
    return entry != null && entry.subscribers.stream().anyMatch(s -> !s.userId().equals(userId));
  }

  /** True when {@code userId} listens to the job. */
  boolean listensTo(JobId id, String userId) {
    Entry entry = entries.get(id);
    return entry != null && entry.subscribers.stream().anyMatch(s -> s.userId().equals(userId));
  }

  /**
   * Removes {@code userId}'s listeners of the job, telling them it is cancelled; the job goes on.
   */
  void leave(JobId id, String userId) {
    Entry entry = entries.get(id);
    if (entry != null) {
      List<Subscriber> leaving =
          entry.subscribers.stream().filter(s -> s.userId().equals(userId)).toList();
      entry.subscribers.removeAll(leaving);
      leaving.forEach(s -> notify(s, JobListener::cancelled));
    }
  }

  /** A queued job left the queue by cancel: no worker reports it, so its listeners hear it here. */
  void cancelledWhileQueued(JobId id) {
    Entry entry = remove(id);
    if (entry != null) {
      entry.subscribers.forEach(s -> notify(s, JobListener::cancelled));
    }
    publishPositions();
  }

  @Override
  public void started(Job job) {
    Entry entry;
    synchronized (this) { // waits for an offer registering this very job
      entry = entries.get(job.id());
    }
    if (entry == null) { // a job resumed after a restart: its requester's adapter may deliver it
      Entry resumed = new Entry(null);
      resumedListener(job).ifPresent(resumed.subscribers::add); // database I/O, outside the lock
      entry = entries.computeIfAbsent(job.id(), id -> resumed);
    }
    entry.startedAt = clock.instant();
    metrics.jobStarted(nonNegative(Duration.between(job.enqueuedAt(), entry.startedAt)));
    entry.subscribers.forEach(s -> notify(s, JobListener::started));
    publishPositions();
  }

  @Override
  public void progress(Job job, Progress progress) {
    Entry entry = entries.get(job.id());
    if (entry != null && entry.startedAt != null && progress.step() > 0) {
      recentTimePerStep =
          nonNegative(Duration.between(entry.startedAt, clock.instant()))
              .dividedBy(progress.step());
    }
    if (entry != null) {
      entry.subscribers.forEach(s -> notify(s, l -> l.progress(progress)));
    }
  }

  @Override
  public void finished(Job job, Outcome outcome) {
    Entry entry = end(job, "done");
    if (outcome.cached() || outcome.shared()) {
      metrics.cacheHit(outcome.cached() ? "result" : "shared");
    }
    entry.subscribers.forEach(s -> notify(s, l -> l.finished(outcome.image(), outcome.cached())));
  }

  @Override
  public void failed(Job job, JobFailure failure, String message) {
    Entry entry = end(job, failure == JobFailure.TIMED_OUT ? "timed_out" : "failed");
    entry.subscribers.forEach(s -> notify(s, l -> l.failed(message)));
  }

  @Override
  public void cancelled(Job job) {
    Entry entry = end(job, "cancelled");
    entry.subscribers.forEach(s -> notify(s, JobListener::cancelled));
  }

  @Override
  public void discarded(Job job) {
    metrics.duplicateFinish();
    Entry entry = remove(job.id()); // still listened to: a moderator cancelled it as it finished
    if (entry != null) {
      entry.subscribers.forEach(s -> notify(s, JobListener::cancelled));
    }
  }

  /** Tells every waiting listener whose place changed its new position. */
  void publishPositions() {
    List<Job> waiting = queue.snapshot();
    for (int i = 0; i < waiting.size(); i++) {
      Entry entry = entries.get(waiting.get(i).id());
      int position = i + 1;
      if (entry != null && entry.position != position) {
        entry.position = position;
        entry.subscribers.forEach(s -> notify(s, l -> l.queued(position)));
      }
    }
  }

  private Entry end(Job job, String outcome) {
    // A job resumed after a restart whose start this node never saw (a shared queue's worker
    // started it earlier) is delivered like a resumed one; looked up before remove() forgets who
    // asked.
    Optional<Subscriber> resumed =
        entries.containsKey(job.id()) ? Optional.empty() : resumedListener(job);
    Entry entry = remove(job.id());
    if (entry == null) {
      entry = new Entry(null);
      resumed.ifPresent(entry.subscribers::add);
    }
    Instant started = entry.startedAt == null ? clock.instant() : entry.startedAt;
    metrics.jobFinished(nonNegative(Duration.between(started, clock.instant())), outcome);
    return entry;
  }

  private Optional<Subscriber> resumedListener(Job job) {
    try {
      return addresses
          .get(job.id())
          .flatMap(
              requester ->
                  Optional.ofNullable(resumedBySource.get(requester.source()))
                      .map(resumed -> resumed.listenerFor(requester, job.request()))
                      .map(listener -> new Subscriber(requester.userId(), listener)));
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot find who asked for resumed job {}; its image goes only to the cache",
          job.id(),
          e);
      return Optional.empty();
    }
  }

  private Entry remove(JobId id) {
    Entry entry;
    synchronized (this) {
      entry = entries.remove(id);
      if (entry != null && entry.key != null) {
        byKey.remove(entry.key, id);
      }
    }
    try {
      addresses.remove(id);
    } catch (RuntimeException e) {
      LOG.warn("cannot forget the reply address of job {}", id, e);
    }
    return entry;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static void notify(Subscriber subscriber, Consumer<JobListener> call) {
    try {
      call.accept(subscriber.listener());
    } catch (RuntimeException e) {
      LOG.warn("a listener of user {} failed; the job goes on", subscriber.userId(), e);
    }
  }
}
