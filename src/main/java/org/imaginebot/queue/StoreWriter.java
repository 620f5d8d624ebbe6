package org.imaginebot.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.imaginebot.db.DatabaseFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies store writes in the queue's order, in groups, without holding the queue's lock during
 * JDBC calls.
 *
 * <p>Writes are enqueued while the queue lock is held (so their order is the order of the changes).
 * {@link #flush} then makes the caller's write durable: the first caller to get the writing lock
 * takes every pending write (its own and those of concurrent callers) and stores them in one
 * transaction (group commit); the others find theirs done when they get the lock. So eight
 * producers pay for about one commit per round, not eight.
 *
 * <p>When a group cannot be stored, its admissions are reported as not stored (the queue refuses
 * them) and its state changes go to {@link StateRetries}. Either way {@code afterGroup} sees the
 * group, under the writing lock and in commit order, before any caller returns.
 */
final class StoreWriter {

  /** One pending write and, once its group is done, whether it was stored. */
  static final class Write {
    final JobWrite write;
    private boolean done; // guarded by the writing lock
    private boolean stored;
    int position; // admissions: the place in the queue once visible, set by afterGroup

    Write(JobWrite write) {
      this.write = write;
    }

    boolean stored() {
      return stored;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

  private final JobStore store;
  private final StateRetries retries;
  private final Consumer<List<Write>> afterGroup;
  private final ConcurrentLinkedQueue<Write> pending = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writing = new ReentrantLock();

  StoreWriter(JobStore store, StateRetries retries, Consumer<List<Write>> afterGroup) {
    this.store = store;
    this.retries = retries;
    this.afterGroup = afterGroup;
  }

  /** Call with the queue lock held. */
  Write enqueue(JobWrite write) {
    Write w = new Write(write);
    pending.add(w);
    return w;
  }

  /** Call without the queue lock held; returns once {@code mine} (may be null) is stored or refused. */
  void flush(Write mine) {
    writing.lock();
    try {
      if (mine != null && mine.done) {
        return; // an earlier flusher took it in its group
      }
      List<Write> group = new ArrayList<>();
      Write w;
      while ((w = pending.poll()) != null) {
        group.add(w);
      }
      if (!group.isEmpty()) {
        storeGroup(group);
      }
    } finally {
      writing.unlock();
    }
  }

  private void storeGroup(List<Write> group) {
    List<JobWrite> writes = new ArrayList<>(group.size());
    group.forEach(w -> writes.add(w.write));
    boolean stored;
    RuntimeException failure = null;
    try {
      store.write(writes);
      stored = true;
    } catch (RuntimeException e) {
      stored = false;
      failure = e;
    }
    if (!stored) {
      LOG.warn("could not store {} job changes ({}); admissions among them were refused",
          group.size(), DatabaseFailure.describe(failure));
    }
    for (Write w : group) {
      w.done = true;
      w.stored = stored;
      if (!stored && w.write instanceof JobWrite.StateChange change) {
        retries.retry(change, failure);
      }
    }
    afterGroup.accept(group);
  }
}
