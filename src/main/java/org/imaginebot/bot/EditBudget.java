package org.imaginebot.bot;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A budget of edits shared by many replies (Slack: every message of one workspace, whose {@code
 * chat.update} is rate tier 3): at most {@code limit} permits in any rolling {@code window}.
 *
 * <p>A reply that finds the budget spent does not queue its edit: it waits in line (first come,
 * first served, one place per reply) and is woken, holding a permit, once the oldest permit in the
 * window has aged out. Meanwhile its {@link EditPacer} keeps only its newest state, so what it
 * sends when woken is current and nothing piles up. Final states never ask (see {@link
 * EditPacer.Gate}).
 *
 * <p>Not Resilience4j's {@code RateLimiter}: that one has fixed periods (a burst of 2 x limit
 * across a period boundary), parks threads rather than calling back, and cannot take an injected
 * clock. Time here comes from {@code nanoTime} and {@code timer}, both injectable.
 */
public final class EditBudget implements EditPacer.Gate {

  private final int limit;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService timer;
  private final ArrayDeque<Long> granted = new ArrayDeque<>(); // times of the permits in the window
  private final LinkedHashSet<Runnable> waiting = new LinkedHashSet<>(); // first come, first served
  private boolean timerSet;

  /**
   * @param limit permits in any rolling {@code window}; more than 0
   * @param timer wakes waiting replies (only hands them a permit: keep it free of blocking work)
   */
  public EditBudget(
      int limit, Duration window, LongSupplier nanoTime, ScheduledExecutorService timer) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be more than 0, got " + limit);
    }
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  @Override
  public synchronized boolean tryAcquire(Runnable wake) {
    long now = nanoTime.getAsLong();
    expire(now);
    if (waiting.isEmpty() && granted.size() < limit) {
      granted.addLast(now);
      return true;
    }
    waiting.add(wake);
    setTimer(now);
    return false;
  }

  @Override
  public synchronized void withdraw(Runnable wake) {
    waiting.remove(wake);
  }

  /** Permits granted in the window ending now (for tests and metrics). */
  public synchronized int used() {
    expire(nanoTime.getAsLong());
    return granted.size();
  }

  /** Replies waiting for a permit now. */
  public synchronized int waiting() {
    return waiting.size();
  }

  private void expire(long now) {
    while (!granted.isEmpty() && now - granted.peekFirst() >= windowNanos) {
      granted.pollFirst();
    }
  }

  private void setTimer(long now) {
    if (timerSet || waiting.isEmpty()) {
      return;
    }
    timerSet = true;
    long delay = granted.size() < limit ? 0 : granted.peekFirst() + windowNanos - now;
    timer.schedule(this::grant, Math.max(0, delay), TimeUnit.NANOSECONDS);
  }

  /** Hands the permits that aged out to the first waiting replies; wakes them outside the lock. */
  private void grant() {
    ArrayDeque<Runnable> woken = new ArrayDeque<>();
    synchronized (this) {
      timerSet = false;
      long now = nanoTime.getAsLong();
      expire(now);
      var it = waiting.iterator();
      while (it.hasNext() && granted.size() < limit) {
        woken.add(it.next());
        it.remove();
        granted.addLast(now);
      }
      setTimer(now);
    }
    woken.forEach(Runnable::run);
  }
}
