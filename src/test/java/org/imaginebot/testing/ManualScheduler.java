package org.imaginebot.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} whose tasks run on the test's thread when the test moves a
 * {@link FakeClock} with {@link #advance}, each at its due time, so timing is exact and no test
 * sleeps. Periodic scheduling is not supported (nothing under test uses it).
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  private final FakeClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long sequence;
  private boolean shutdown;

  public ManualScheduler(FakeClock clock) {
    this.clock = clock;
  }

  /** Runs the tasks due now, and those they schedule for now, in due order. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /**
   * Lets {@code d} pass, running each task that falls due at its due time (the clock is set to it).
   */
  public void advance(Duration d) {
    long target = clock.nanoTime() + d.toNanos();
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due - target > 0) {
          break;
        }
        queue.poll();
      }
      long wait = next.due - clock.nanoTime();
      if (wait > 0) {
        clock.advance(Duration.ofNanos(wait));
      }
      next.run(); // outside the lock: the task may schedule more
    }
    long rest = target - clock.nanoTime();
    if (rest > 0) {
      clock.advance(Duration.ofNanos(rest));
    }
  }

  /** How many tasks wait to run. */
  public synchronized int pending() {
    return queue.size();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, clock.nanoTime() + unit.toNanos(Math.max(0, delay))));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, clock.nanoTime() + unit.toNanos(Math.max(0, delay))));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("ManualScheduler runs one-shot tasks only");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("ManualScheduler runs one-shot tasks only");
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("ManualScheduler is shut down");
    }
    task.seq = sequence++;
    queue.add(task);
    return task;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {

    private final long due;
    private long seq;

    Task(Runnable runnable, V result, long due) {
      super(runnable, result);
      this.due = due;
    }

    Task(Callable<V> callable, long due) {
      super(callable);
      this.due = due;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - clock.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      int byDue = Long.compare(due - o.due, 0);
      return byDue != 0 ? byDue : Long.compare(seq, o.seq);
    }
  }
}
