package org.imaginebot.worker;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationCancelledException;
import org.imaginebot.incident.Incident;
import org.imaginebot.limits.GpuShares;
import org.imaginebot.models.ModelFileException;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobState;
import org.imaginebot.worker.JobEvents.JobFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from the queue and runs them: {@code gpuConcurrency} worker threads, a Resilience4j
 * {@link Bulkhead} around the engine (the GPU), a {@link TimeLimiter} for {@code maxJobTime}, and a
 * guild's {@link GpuShares} slot held while its job runs.
 *
 * <p>A timed-out or cancelled job is stopped through its {@link CancellationSignal} at the next
 * step; the worker waits for the engine to let go before taking the next job, so the GPU is never
 * used by more jobs than the bulkhead allows.
 */
public final class Worker implements JobRunners, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final JobQueue queue;
  private final GenerationRunner runner;
  private final GpuShares shares;
  private final JobEvents events;
  private final Duration maxJobTime;
  private final Bulkhead gpu;
  private final TimeLimiter timeLimiter;
  private final int concurrency;
  private final ExecutorService loops;
  private final ExecutorService engineThreads;
  private final ConcurrentMap<JobId, CancellationSignal> running = new ConcurrentHashMap<>();
  private final java.util.Set<JobId> cancelledByUser = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private boolean started;

  public Worker(
      JobQueue queue,
      GenerationRunner runner,
      GpuShares shares,
      WorkerConfig config,
      JobEvents events) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.shares = Objects.requireNonNull(shares, "shares");
    this.events = Objects.requireNonNull(events, "events");
    this.maxJobTime = config.maxJobTime();
    this.gpu =
        Bulkhead.of(
            "gpu",
            BulkheadConfig.custom()
                .maxConcurrentCalls(config.gpuConcurrency())
                .maxWaitDuration(Duration.ofDays(1))
                .build());
    this.timeLimiter =
        TimeLimiter.of(
            TimeLimiterConfig.custom()
                .timeoutDuration(config.maxJobTime())
                .cancelRunningFuture(true)
                .build());
    this.concurrency = config.gpuConcurrency();
    this.loops = Executors.newFixedThreadPool(config.gpuConcurrency(), named("worker"));
    ThreadFactory engineFactory = named("engine");
    this.engineThreads =
        Executors.newFixedThreadPool(
            config.gpuConcurrency(),
            r -> engineFactory.newThread(EnginePriority.lowered(config.engineNice(), r)));
  }

  /** How many jobs run at once ({@code worker.gpuConcurrency}). */
  @Override
  public int concurrency() {
    return concurrency;
  }

  /** Starts the worker threads; once. */
  public synchronized Worker start() {
    if (started) {
      return this;
    }
    started = true;
    for (int i = 0; i < gpu.getBulkheadConfig().getMaxConcurrentCalls(); i++) {
      loops.execute(this::loop);
    }
    return this;
  }

  /**
   * Stops the job's engine run at its next step (the owner or a moderator cancelled it); false when
   * this worker is not running it.
   */
  @Override
  public boolean cancel(JobId id) {
    CancellationSignal signal = running.get(id);
    if (signal == null) {
      return false;
    }
    cancelledByUser.add(id);
    signal.cancel();
    return true;
  }

  /** Jobs running now. */
  public int runningCount() {
    return running.size();
  }

  private void loop() {
    while (!stopping) {
      Job job;
      try {
        job = queue.take(POLL, candidate -> shares.tryAcquire(candidate.scopeId()));
      } catch (InterruptedException e) {
        return;
      }
      if (job != null) {
        try {
          run(job);
        } catch (RuntimeException | Error e) {
          LOG.error("worker failed around job {}", job.id(), e);
        } finally {
          shares.release(job.scopeId());
          queue.recheck();
        }
      }
    }
  }

  private void run(Job job) {
    CancellationSignal signal = new CancellationSignal();
    running.put(job.id(), signal);
    if (stopping) {
      signal.cancel(); // taken while close() ran: stop at once, it runs again after the restart
    }
    events.started(job);
    CompletableFuture<Outcome> engineRun = new CompletableFuture<>();
    try {
      Outcome outcome =
          timeLimiter.executeFutureSupplier(
              () -> {
                engineThreads.execute(
                    () -> {
                      try {
                        engineRun.complete(
                            gpu.executeSupplier(
                                () ->
                                    runner.run(
                                        job.request(),
                                        progress -> events.progress(job, progress),
                                        signal)));
                      } catch (Throwable t) {
                        engineRun.completeExceptionally(t);
                      }
                    });
                return engineRun.copy();
              });
      if (end(job, JobState.DONE)) {
        events.finished(job, outcome);
      } else {
        discard(job);
      }
    } catch (TimeoutException e) {
      signal.cancel();
      awaitEngine(engineRun);
      if (!end(job, JobState.FAILED)) {
        discard(job);
        return;
      }
      LOG.warn("job {} ran longer than worker.maxJobTime {} and was stopped", job.id(), maxJobTime);
      events.failed(
          job,
          JobFailure.TIMED_OUT,
          "It ran longer than this bot's limit of "
              + human(maxJobTime)
              + " and was stopped. Try fewer steps.");
    } catch (InterruptedException e) {
      signal.cancel();
      Thread.currentThread().interrupt();
      awaitEngine(engineRun);
      stoppedByShutdown(job);
    } catch (Exception e) {
      // Resilience4j rethrows the engine's own exception; a plain future would wrap it.
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof GenerationCancelledException && cancelledByUser.contains(job.id())) {
        end(job, JobState.CANCELLED);
        events.cancelled(job);
      } else if (cause instanceof GenerationCancelledException) {
        stoppedByShutdown(job);
      } else if (end(job, JobState.FAILED)) {
        events.failed(job, JobFailure.ERROR, failureMessage(job, cause));
      } else {
        discard(job);
      }
    } finally {
      running.remove(job.id());
      cancelledByUser.remove(job.id());
    }
  }

  /**
   * What the requester reads about a failed run. A model file the operator must fix says so; any
   * other failure is an {@link Incident}: its id reaches the user, its stack trace only the log.
   */
  private static String failureMessage(Job job, Throwable cause) {
    if (cause instanceof ModelFileException missing) {
      LOG.error("job {} failed: {}", job.id(), missing.getMessage(), missing);
      return "The model "
          + job.request().model()
          + " is not installed on this bot; ask an operator.";
    }
    return Incident.report(LOG, "job " + job.id() + " failed", cause)
        .userMessage("making your image");
  }

  /**
   * A job cut off by {@link #close()} stays RUNNING in the job store, so the next start runs it
   * again; its requester hears why it stopped.
   */
  private void stoppedByShutdown(Job job) {
    LOG.info("job {} stopped by shutdown; it runs again after the restart", job.id());
    events.failed(
        job, JobFailure.ERROR, "The bot is restarting; your image will be made when it is back.");
  }

  /** Waits for a stopped engine run to return, so the next job does not share the GPU with it. */
  private static void awaitEngine(CompletableFuture<Outcome> engineRun) {
    try {
      engineRun.get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ignored) {
      // Cancelled, failed or stuck: either way this job is over.
    }
  }

  /**
   * Records the job's end; false when it had ended already: a moderator cancelled it meanwhile, or
   * (shared queue) another worker that took it over finished it first.
   */
  private boolean end(Job job, JobState state) {
    return queue.complete(job.id(), state);
  }

  private void discard(Job job) {
    LOG.info("job {} had already ended; this run's result is dropped", job.id());
    events.discarded(job);
  }

  private static String human(Duration d) {
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + " min";
    }
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString()
        + " s";
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Stops taking jobs, cancels running ones and waits briefly for them; they resume after a
   * restart.
   */
  @Override
  public void close() {
    stopping = true;
    List<CancellationSignal> signals = new ArrayList<>(running.values());
    signals.forEach(CancellationSignal::cancel);
    loops.shutdown();
    try {
      // Each loop waits for its engine run, so the engine threads are idle once the loops end.
      if (!loops.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("worker threads did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      engineThreads.shutdown();
    }
  }
}
