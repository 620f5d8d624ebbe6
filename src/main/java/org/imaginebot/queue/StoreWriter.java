package org.imaginebot.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.imaginebot.db.DatabaseFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies store writes in the queue's order, in groups, without holding the queue's lock during
 * JDBC calls.
 *
 * <p>Writes are enqueued while the queue lock is held (so their order is the order of the changes).
 * {@link #flush} then makes the caller's write durable: when no group is being stored, the caller
 * becomes the writer, takes every pending write (its own and those of concurrent callers) and
 * stores them in one transaction (group commit); callers that arrive while a group is stored wait,
 * and when it ends each either finds its write done and returns at once, or its write is in the
 * next group. So eight producers pay for about one commit per round, not eight. (Waiters must not
 * queue for a lock only to learn that their write is done: that serializes them, and a caller
 * barging in between stores a group of one.)
 *
 * <p>When a group cannot be stored, its admissions are reported as not stored (the queue refuses
 * them) and its state changes go to {@link StateRetries}. Either way {@code afterGroup} sees the
 * group, one group at a time and in commit order, before any of its callers returns.
 */
final class StoreWriter {

  /** One pending write and, once its group is done, whether it was stored. */
  static final class Write {
    final JobWrite write;
    private volatile boolean done; // set last: publishes stored and position to the caller
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
  private final Object monitor = new Object();
  private boolean storing; // guarded by monitor: a group is being stored

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

  /**
   * Call without the queue lock held; returns once {@code mine} (may be null) is stored or refused.
   */
  void flush(Write mine) {
    List<Write> group = new ArrayList<>();
    // Stored with the interrupt cleared and restored after: an interrupt must not fail the group
    // (H2's file channel, for one, closes on it) nor leave the caller without its answer.
    boolean interrupted = Thread.interrupted();
    synchronized (monitor) {
      while (storing) {
        if (mine != null && mine.done) {
          break;
        }
        try {
          monitor.wait();
        } catch (InterruptedException e) {
          interrupted = true; // the caller still needs to know whether its write was stored
        }
      }
      if (Thread.interrupted()) { // interrupted after its last wait returned
        interrupted = true;
      }
      if (mine != null && mine.done) {
        restoreInterrupt(interrupted);
        return; // an earlier writer took it in its group
      }
      storing = true;
      Write w;
      while ((w = pending.poll()) != null) {
        group.add(w);
      }
    }
    try {
      if (!group.isEmpty()) {
        storeGroup(group);
      }
    } finally {
      synchronized (monitor) {
        storing = false;
        monitor.notifyAll();
      }
      restoreInterrupt(interrupted);
    }
  }

  private static void restoreInterrupt(boolean interrupted) {
    if (interrupted) {
      Thread.currentThread().interrupt();
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
      LOG.warn(
          "could not store {} job changes ({}); admissions among them were refused",
          group.size(),
          DatabaseFailure.describe(failure));
    }
    for (Write w : group) {
      w.stored = stored;
      if (!stored && w.write instanceof JobWrite.StateChange change) {
        retries.retry(change, failure);
      }
    }
    afterGroup.accept(group);
    for (Write w : group) {
      w.done = true;
    }
  }
}
