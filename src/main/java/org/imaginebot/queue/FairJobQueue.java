package org.imaginebot.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.Admission.Refused;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobQueue}: a {@link RoundRobin} of waiting jobs plus the running ones, under one lock.
 *
 * <p>With a store, every change is written through a {@link StoreWriter} after the lock is
 * released, so JDBC latency never blocks other callers' admissions or takes. An admission is
 * durable before anyone sees it: the offer reserves its place under the caps, the job becomes
 * visible (positions, takers) only once its row is committed, and {@code offer} returns after that;
 * when the store cannot write, the reservation is dropped and the offer is refused with {@link
 * RefusalReason#STORE_UNAVAILABLE}, leaving nothing behind.
 */
final class FairJobQueue implements JobQueue {

  private static final Logger LOG = LoggerFactory.getLogger(FairJobQueue.class);

  private final Clock clock;
  private final JobStore store; // null: in memory only
  private final StoreWriter writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition jobReady = lock.newCondition();
  private final RoundRobin queued = new RoundRobin();

  /** Admissions waiting for their commit, per user; they count against the caps. */
  private final Map<String, Integer> admitting = new HashMap<>();

  private int admittingTotal;
  private final Map<JobId, Job> running = new LinkedHashMap<>();
  private volatile QueueLimits limits;
  private boolean paused;
  private long seq;

  FairJobQueue(QueueLimits limits, Clock clock, JobStore store, long lastSeq) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = store;
    this.writer =
        store == null
            ? null
            : new StoreWriter(store, StateRetries.defaults(store), this::afterStore);
    this.seq = lastSeq;
  }

  /**
   * Builds a queue on {@code store}, re-queuing its waiting jobs and those cut off while running.
   */
  static FairJobQueue recover(QueueLimits limits, Clock clock, JobStore store) {
    Objects.requireNonNull(store, "store");
    FairJobQueue queue = new FairJobQueue(limits, clock, store, store.maxSeq());
    List<Job> unfinished = store.loadUnfinished();
    List<Job> wereRunning = new ArrayList<>();
    StoreWriter.Write last = null;
    queue.lock.lock();
    try {
      // Interrupted jobs first, so each is at the front of its user's FIFO and those users lead
      // the rotation; then the waiting jobs, all in admission order.
      for (Job job : unfinished) {
        if (job.state() == JobState.RUNNING) {
          queue.queued.add(job.withState(JobState.QUEUED));
          wereRunning.add(job);
        }
      }
      for (Job job : unfinished) {
        if (job.state() == JobState.QUEUED) {
          queue.queued.add(job);
        }
      }
      for (Job job : wereRunning) {
        last = queue.record(job.id(), JobState.QUEUED);
      }
    } finally {
      queue.lock.unlock();
    }
    queue.flush(last);
    if (!unfinished.isEmpty()) {
      LOG.info(
          "recovered {} queued jobs, {} of them interrupted while running",
          unfinished.size(),
          wereRunning.size());
    }
    return queue;
  }

  @Override
  public Admission offer(
      String userId,
      String scopeId,
      GenerationRequest request,
      int maxQueuedForUser,
      JobAttachment attachment) {
    Job.requireNonBlank(userId, "userId");
    Job.requireNonBlank(scopeId, "scopeId");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(attachment, "attachment");
    Job job;
    StoreWriter.Write insert;
    lock.lock();
    try {
      Refused refused = checkCaps(userId, maxQueuedForUser);
      if (refused != null) {
        return refused;
      }
      job = new Job(newId(), userId, scopeId, request, clock.instant(), JobState.QUEUED);
      if (writer == null) {
        queued.add(job);
        jobReady.signal();
        return new Admitted(job, queued.positionOfLast(userId));
      }
      admitting.merge(userId, 1, Integer::sum);
      admittingTotal++;
      insert = writer.enqueue(new JobWrite.Insert(job, ++seq, attachment));
    } finally {
      lock.unlock();
    }
    writer.flush(insert);
    if (!insert.stored()) {
      return Refused.storeUnavailable();
    }
    return new Admitted(job, insert.position);
  }

  /**
   * Called by the writer after each group, in commit order: stored admissions join the queue (and
   * wake takers), refused ones give their place back.
   */
  private void afterStore(List<StoreWriter.Write> group) {
    lock.lock();
    try {
      for (StoreWriter.Write w : group) {
        if (w.write instanceof JobWrite.Insert insert) {
          Job job = insert.job();
          admitting.computeIfPresent(job.userId(), (user, n) -> n == 1 ? null : n - 1);
          admittingTotal--;
          if (w.stored()) {
            queued.add(job);
            w.position = queued.positionOfLast(job.userId());
            jobReady.signal();
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private Refused checkCaps(String userId, int maxQueuedForUser) {
    QueueLimits l = limits;
    int mine = queued.sizeOf(userId) + admitting.getOrDefault(userId, 0);
    if (mine >= Math.min(l.maxQueuedPerUser(), maxQueuedForUser)) {
      return Refused.userQueueFull(mine);
    }
    int all = queued.size() + admittingTotal;
    if (all >= l.maxQueued()) {
      return Refused.queueFull(all);
    }
    return null;
  }

  private JobId newId() {
    JobId id;
    do {
      id = JobId.random();
    } while (queued.get(id) != null || running.containsKey(id));
    return id;
  }

  @Override
  public Optional<Job> take() {
    Job job;
    StoreWriter.Write write = null;
    lock.lock();
    try {
      job = takeLocked(null);
      if (job != null) {
        write = record(job.id(), JobState.RUNNING);
      }
    } finally {
      lock.unlock();
    }
    flush(write);
    return Optional.ofNullable(job);
  }

  @Override
  public Job take(Duration timeout) throws InterruptedException {
    return take(timeout, null);
  }

  @Override
  public Job take(Duration timeout, Predicate<Job> eligible) throws InterruptedException {
    long nanos = timeout.toNanos();
    Job job;
    StoreWriter.Write write;
    lock.lockInterruptibly();
    try {
      while ((job = takeLocked(eligible)) == null) {
        if (nanos <= 0) {
          return null;
        }
        nanos = jobReady.awaitNanos(nanos);
      }
      write = record(job.id(), JobState.RUNNING);
      if (!paused && queued.size() > 0) {
        jobReady.signal(); // pass the wake-up on: another taker may find work too
      }
    } finally {
      lock.unlock();
    }
    flush(write);
    return job;
  }

  @Override
  public void recheck() {
    lock.lock();
    try {
      jobReady.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private Job takeLocked(Predicate<Job> eligible) {
    if (paused) {
      return null;
    }
    Job next = eligible == null ? queued.poll() : queued.poll(eligible);
    if (next == null) {
      return null;
    }
    Job job = next.withState(JobState.RUNNING);
    running.put(job.id(), job);
    return job;
  }

  @Override
  public boolean complete(JobId id, JobState finalState) {
    if (finalState == null || !finalState.isFinal()) {
      throw new IllegalArgumentException(
          "final state must be DONE, FAILED or CANCELLED, got " + finalState);
    }
    StoreWriter.Write write;
    lock.lock();
    try {
      if (running.remove(id) == null) {
        if (queued.get(id) != null) {
          throw new IllegalStateException(
              "job " + id + " is queued, not running; cancel it instead");
        }
        return false;
      }
      write = record(id, finalState);
    } finally {
      lock.unlock();
    }
    flush(write);
    return true;
  }

  @Override
  public CancelResult cancel(JobId id, String requesterId, boolean moderator) {
    CancelResult result;
    StoreWriter.Write write = null;
    lock.lock();
    try {
      result = cancelLocked(id, requesterId, moderator);
      if (result == CancelResult.CANCELLED_QUEUED || result == CancelResult.CANCELLED_RUNNING) {
        write = record(id, JobState.CANCELLED);
      }
    } finally {
      lock.unlock();
    }
    flush(write);
    return result;
  }

  private CancelResult cancelLocked(JobId id, String requesterId, boolean moderator) {
    Job job = queued.get(id);
    boolean wasRunning = job == null;
    if (wasRunning) {
      job = running.get(id);
    }
    if (job == null) {
      return CancelResult.NOT_FOUND;
    }
    if (!moderator && !job.userId().equals(requesterId)) {
      return CancelResult.NOT_ALLOWED;
    }
    if (wasRunning) {
      running.remove(id);
    } else {
      queued.remove(id);
    }
    return wasRunning ? CancelResult.CANCELLED_RUNNING : CancelResult.CANCELLED_QUEUED;
  }

  @Override
  public int position(JobId id) {
    lock.lock();
    try {
      return queued.position(id);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Job> snapshot() {
    lock.lock();
    try {
      return List.copyOf(queued.inOrder());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Job> running() {
    lock.lock();
    try {
      return List.copyOf(running.values());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void pause() {
    lock.lock();
    try {
      paused = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void resume() {
    lock.lock();
    try {
      paused = false;
      jobReady.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isPaused() {
    lock.lock();
    try {
      return paused;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void setLimits(QueueLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public QueueLimits limits() {
    return limits;
  }

  /** Queues a state write; call with the lock held. */
  private StoreWriter.Write record(JobId id, JobState state) {
    return writer == null ? null : writer.enqueue(new JobWrite.StateChange(id, state));
  }

  /** Waits until {@code mine} is stored or handed to the retries; call without the lock held. */
  private void flush(StoreWriter.Write mine) {
    if (writer != null) {
      writer.flush(mine);
    }
  }
}
