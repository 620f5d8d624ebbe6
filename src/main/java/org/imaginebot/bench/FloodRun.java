package org.imaginebot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.imaginebot.queue.Admission;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobState;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;

/**
 * One run of a {@link QueueLoad} on one queue: producer threads offer while one consumer takes and
 * finishes jobs, until every admitted job is done.
 *
 * <p>Each offer passes the per-user cap a guild's member gets ({@link Caps}), as {@code
 * ImagineService} does. An offer's latency is the whole {@code offer} call, which for a persistent
 * queue includes storing the job. Admissions per second count admitted offers over the producers'
 * wall time, with the consumer competing for the same queue and store.
 */
final class FloodRun {

  private static final String SCOPE = "bench-guild";
  private static final Duration POLL = Duration.ofMillis(10);
  private static final GenerationRequest REQUEST =
      new GenerationRequest(
          PromptParser.parse("a lighthouse in a storm | oil painting:0.5"),
          "tiny",
          Strategy.ADAM,
          300,
          1);

  /**
   * The per-user caps passed with each offer.
   *
   * @param ordinaryUser an ordinary user's cap (the guild's {@code maxQueuedPerUser})
   * @param flooder the flooding user's cap
   */
  record Caps(int ordinaryUser, int flooder) {}

  /** Figures of one run: counts, admission speed and latency, and fairness. */
  record Figures(
      int offers,
      int admitted,
      int refused,
      double admissionsPerSec,
      double p99AdmitMicros,
      FairnessFigures fairness) {}

  private record Offered(JobId id, String userId, long takesBefore, long takesAfter, long nanos) {}

  private record TakeCounters(AtomicLong done, AtomicLong started) {}

  private FloodRun() {}

  /** Runs {@code load} on {@code queue}, which must start empty, and leaves it empty. */
  static Figures run(JobQueue queue, QueueLoad load, Caps caps, boolean floodFirst) {
    String[] offers = load.offerOrder(floodFirst);
    AtomicInteger next = new AtomicInteger();
    // Two take counters bracket the queue's own count, since a take and its counting are not
    // atomic:
    // "done" counts after each take returns (read before an offer: waits are never undercounted);
    // "started" counts before each take begins (read after an offer: peaks are never overcounted).
    TakeCounters takes = new TakeCounters(new AtomicLong(), new AtomicLong());
    AtomicLong admitted = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch producersDone = new CountDownLatch(load.producers());
    ExecutorService threads = Executors.newFixedThreadPool(load.producers() + 1);
    try {
      List<Future<List<Offered>>> producers = new ArrayList<>();
      for (int p = 0; p < load.producers(); p++) {
        producers.add(
            threads.submit(
                () -> {
                  try {
                    start.await();
                    return produce(queue, offers, next, takes, admitted, caps);
                  } finally {
                    producersDone.countDown();
                  }
                }));
      }
      Future<List<Job>> consumer =
          threads.submit(() -> consume(queue, takes, admitted, producersDone));
      long began = System.nanoTime();
      start.countDown();
      List<Offered> all = new ArrayList<>();
      for (Future<List<Offered>> producer : producers) {
        all.addAll(producer.get());
      }
      long elapsed = System.nanoTime() - began;
      List<Job> taken = consumer.get();
      return figures(offers.length, all, taken, elapsed);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "queue benchmark run failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("queue benchmark interrupted", e);
    } finally {
      threads.shutdownNow();
    }
  }

  private static List<Offered> produce(
      JobQueue queue,
      String[] offers,
      AtomicInteger next,
      TakeCounters takes,
      AtomicLong admitted,
      Caps caps) {
    List<Offered> mine = new ArrayList<>();
    int i;
    while ((i = next.getAndIncrement()) < offers.length) {
      String user = offers[i];
      int cap = user.equals(QueueLoad.FLOODER) ? caps.flooder() : caps.ordinaryUser();
      long takesBefore = takes.done().get();
      long t0 = System.nanoTime();
      Admission admission = queue.offer(user, SCOPE, REQUEST, cap);
      long nanos = System.nanoTime() - t0;
      if (admission instanceof Admission.Admitted a) {
        mine.add(new Offered(a.job().id(), user, takesBefore, takes.started().get(), nanos));
        admitted.incrementAndGet();
      }
    }
    return mine;
  }

  /** Takes and finishes jobs until the producers are done and every admitted job was taken. */
  private static List<Job> consume(
      JobQueue queue, TakeCounters takes, AtomicLong admitted, CountDownLatch producersDone)
      throws InterruptedException {
    List<Job> taken = new ArrayList<>();
    while (true) {
      boolean finalCount =
          producersDone.getCount() == 0; // read before taking: no admission can follow
      takes.started().incrementAndGet();
      Job job = queue.take(POLL);
      if (job != null) {
        taken.add(job);
        takes.done().incrementAndGet();
        queue.complete(job.id(), JobState.DONE);
      } else {
        takes.started().decrementAndGet();
        if (finalCount && taken.size() == admitted.get()) {
          return taken;
        }
      }
    }
  }

  private static Figures figures(
      int offers, List<Offered> admitted, List<Job> taken, long elapsedNanos) {
    Map<JobId, Integer> takeNumber = new HashMap<>();
    for (int t = 0; t < taken.size(); t++) {
      takeNumber.put(taken.get(t).id(), t);
    }
    List<FairnessFigures.TakenJob> jobs = new ArrayList<>(admitted.size());
    long[] nanos = new long[admitted.size()];
    for (int i = 0; i < admitted.size(); i++) {
      Offered o = admitted.get(i);
      Integer t = takeNumber.get(o.id());
      if (t == null) {
        throw new IllegalStateException("job " + o.id() + " was admitted but never taken");
      }
      jobs.add(new FairnessFigures.TakenJob(o.userId(), o.takesBefore(), o.takesAfter(), t));
      nanos[i] = o.nanos();
    }
    Arrays.sort(nanos);
    return new Figures(
        offers,
        admitted.size(),
        offers - admitted.size(),
        admitted.size() / (elapsedNanos / 1e9),
        FairnessFigures.percentile99(nanos) / 1_000.0,
        FairnessFigures.of(jobs, QueueLoad.FLOODER));
  }
}
