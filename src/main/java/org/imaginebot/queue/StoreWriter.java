package org.imaginebot.queue;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies store writes in the queue's order without holding the queue's lock during JDBC calls.
 *
 * <p>Writes are enqueued while the queue lock is held (so their order is the order of the changes)
 * and applied by {@link #flush()} after it is released, under a separate lock. A caller's flush
 * returns only once its own write is applied, by itself or by an earlier flusher, so every queue
 * call is durable when it returns. A failed write is logged and skipped: the in-memory queue stays
 * the truth while the process runs; the store only matters after a crash.
 */
final class StoreWriter {

  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

  private record Write(String what, Runnable action) {}

  private final ConcurrentLinkedQueue<Write> pending = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writing = new ReentrantLock();

  /** Call with the queue lock held. */
  void enqueue(String what, Runnable action) {
    pending.add(new Write(what, action));
  }

  /** Call without the queue lock held. */
  void flush() {
    writing.lock();
    try {
      Write write;
      while ((write = pending.poll()) != null) {
        try {
          write.action().run();
        } catch (RuntimeException e) {
          LOG.error("job store write failed ({}); the queue goes on in memory", write.what(), e);
        }
      }
    } finally {
      writing.unlock();
    }
  }
}
