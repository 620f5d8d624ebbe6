package org.imaginebot.bot;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces the edits of one reply, for every chat adapter: only the newest state is kept, at most one
 * edit is in flight, and the next starts no sooner than {@code minInterval} after the last one
 * finished.
 *
 * <p>An edit that honours a 429's Retry-After before it completes widens the interval by that much
 * on its own. A final state (image, failure, cancel) replaces any pending one and is never dropped:
 * when its edit fails (a platform's 500, a network error) it is sent again, up to {@link
 * #FINAL_RETRIES} times, each retry waiting twice as long as the one before (the interval, then
 * twice it...), so a brief outage does not leave the user without their image. Any other failed
 * edit is logged and forgotten: it never stops the job.
 *
 * <p>With a {@link Gate} (a budget shared by many replies, such as {@link EditBudget}), an edit
 * that needs a permit waits for one without taking its state: while it waits, newer states still
 * replace the pending one, so the edit sent when the permit comes is the newest. A state that needs
 * no permit (a final one) stops the wait and goes at once.
 *
 * @param <S> what a reply shows at one moment
 */
public final class EditPacer<S extends EditPacer.State> {

  /** One state of a reply; each replaces the one before. */
  public interface State {

    /** Whether this state ends the job (it is always delivered, never dropped). */
    boolean isFinal();
  }

  /** A budget of edits shared with other replies. */
  public interface Gate {

    /**
     * Takes a permit (true), or puts {@code wake} in line and returns false: {@code wake} runs
     * later, on another thread, with a permit taken for it.
     */
    boolean tryAcquire(Runnable wake);

    /** {@code wake} no longer waits (its reply has something to send that needs no permit). */
    void withdraw(Runnable wake);
  }

  private static final Logger LOG = LoggerFactory.getLogger(EditPacer.class);

  /** Times a final state whose edit failed is sent again. */
  public static final int FINAL_RETRIES = 3;

  private final ScheduledExecutorService scheduler;
  private final long minIntervalNanos;
  private final LongSupplier nanoTime;
  private Function<? super S, CompletableFuture<?>> sink; // null until the reply exists
  private S pending;
  private boolean inFlight;
  private boolean finalDelivered;
  private int finalRetries;
  private long nextAllowedNanos;
  private Gate gate; // null: no shared budget
  private Predicate<? super S> needsPermit;
  private boolean waitingForGate; // the pending state waits for a permit of the gate
  private boolean permitHeld; // the gate woke this pacer with a permit
  private final Runnable wake = this::woken;

  public EditPacer(
      ScheduledExecutorService scheduler, Duration minInterval, LongSupplier nanoTime) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.minIntervalNanos = minInterval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAllowedNanos = nanoTime.getAsLong();
  }

  /** Starts editing through {@code sink} (e.g. once the deferred reply exists). */
  public synchronized void start(Function<? super S, CompletableFuture<?>> editSink) {
    this.sink = Objects.requireNonNull(editSink, "editSink");
    schedule();
  }

  /**
   * Makes the states that {@code permitNeeded} picks wait for a permit of {@code budget}; call it
   * before {@link #start}.
   */
  public synchronized void gate(Gate budget, Predicate<? super S> permitNeeded) {
    this.gate = Objects.requireNonNull(budget, "budget");
    this.needsPermit = Objects.requireNonNull(permitNeeded, "permitNeeded");
  }

  /** The newest state; replaces any state not yet sent, unless that one is final. */
  public synchronized void offer(S state) {
    if (finalDelivered || (pending != null && pending.isFinal())) {
      return;
    }
    pending = state;
    if (waitingForGate && !needsPermit.test(state)) { // e.g. the final state: no more waiting
      gate.withdraw(wake);
      waitingForGate = false;
      scheduler.execute(this::send);
      return;
    }
    schedule();
  }

  /** The gate handed this pacer a permit. */
  private void woken() {
    synchronized (this) {
      if (!waitingForGate) {
        return; // withdrew meanwhile; the permit goes unused
      }
      waitingForGate = false;
      permitHeld = true;
    }
    scheduler.execute(this::send);
  }

  private void schedule() {
    if (sink == null || inFlight || pending == null) {
      return;
    }
    inFlight = true;
    long delay = Math.max(0, nextAllowedNanos - nanoTime.getAsLong());
    scheduler.schedule(this::send, delay, TimeUnit.NANOSECONDS);
  }

  private void send() {
    S state;
    synchronized (this) {
      if (gate != null && needsPermit.test(pending)) {
        if (permitHeld) {
          permitHeld = false;
        } else if (!gate.tryAcquire(wake)) {
          waitingForGate = true; // still in flight: offers only replace the pending state
          return;
        }
      } else {
        permitHeld = false; // the state it was meant for was replaced by one that needs none
      }
      state = pending;
      pending = null;
      finalDelivered = state.isFinal();
    }
    CompletableFuture<?> edit;
    try {
      edit = sink.apply(state);
    } catch (RuntimeException e) {
      edit = CompletableFuture.failedFuture(e);
    }
    edit.whenComplete(
        (ok, error) -> {
          synchronized (this) {
            inFlight = false;
            long wait = minIntervalNanos;
            if (error != null && state.isFinal() && finalRetries < FINAL_RETRIES) {
              wait = minIntervalNanos << finalRetries++;
              LOG.warn(
                  "the final edit of a reply failed ({}); sending it again in {} ms (retry {} of {})",
                  error.toString(),
                  wait / 1_000_000,
                  finalRetries,
                  FINAL_RETRIES);
              pending = state;
              finalDelivered = false;
            } else if (error != null && state.isFinal()) {
              LOG.warn(
                  "the final edit of a reply failed ({}) after {} retries; giving up",
                  error.toString(),
                  FINAL_RETRIES);
            } else if (error != null) {
              LOG.warn("a reply edit failed ({}); the job goes on", error.toString());
            }
            nextAllowedNanos = nanoTime.getAsLong() + wait;
            schedule();
          }
        });
  }
}
