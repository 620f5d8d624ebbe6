package org.imaginebot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.cluster.Redis;

/**
 * The faults {@code bench faults --cluster} injects into a cluster (a bot node, worker JVMs, a
 * Redis of the run's own) while a load runs: a worker that is running a job SIGKILLed (another
 * worker node takes its place, as an orchestrator would start one), then Redis killed and started
 * again {@link #REDIS_OUTAGE} later, empty.
 */
public final class ClusterFaults implements DiscordLoad.BeforeCommand {

  /** Starts a worker node of the given name. */
  @FunctionalInterface
  public interface WorkerStarter {
    void start(String node) throws IOException;
  }

  /** How long Redis stays down. */
  public static final Duration REDIS_OUTAGE = Duration.ofSeconds(2);

  /** How long to wait for a worker to be running a job before giving up the kill. */
  private static final Duration BUSY_WAIT = Duration.ofSeconds(60);

  private final Redis redis;
  private final RedisProcess redisServer;
  private final WorkerProcesses workers;
  private final WorkerStarter replacement;
  private final Consumer<String> log;
  private final Injections injections;
  private int replacements;

  /**
   * @param redis the bot node's connection, to see which worker runs which job
   * @param redisServer the Redis the whole cluster uses
   * @param workers the worker nodes
   * @param replacement starts a fresh worker after one is killed
   */
  public ClusterFaults(
      int commands,
      Redis redis,
      RedisProcess redisServer,
      WorkerProcesses workers,
      WorkerStarter replacement,
      Consumer<String> log) {
    this.redis = redis;
    this.redisServer = redisServer;
    this.workers = workers;
    this.replacement = replacement;
    this.log = log;
    this.injections = new Injections(commands, log);
  }

  @Override
  public void before(int index, FakeDiscord fake) {
    try {
      if (at(index, 0.25)) {
        killAWorkerMidJob();
      }
      if (at(index, 0.55)) {
        killRedisForAWhile();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while injecting a fault", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inject a cluster fault", e);
    }
  }

  /** Waits until a live worker runs a job, SIGKILLs it and starts a replacement node. */
  private void killAWorkerMidJob() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
    Optional<Busy> busy = busyWorker();
    while (busy.isEmpty()) {
      if (System.nanoTime() > deadline) {
        log.accept("faults: no worker ran a job for " + BUSY_WAIT + "; none killed");
        return;
      }
      Thread.sleep(20);
      busy = busyWorker();
    }
    String node = busy.get().node();
    workers.kill(node);
    count("workers_killed_mid_job", 1);
    log.accept("faults: worker " + node + " SIGKILLed while running job " + busy.get().job());
    replacements++;
    replacement.start("r" + replacements);
    log.accept("faults: replacement worker r" + replacements + " starting");
  }

  /** A worker node and the job it runs. */
  private record Busy(String node, String job) {}

  /** A job running on a worker process that is alive, if any. */
  private Optional<Busy> busyWorker() {
    Map<String, Process> all = workers.all();
    Set<String> running = redis.commands().smembers(redis.key("run"));
    for (String id : running) {
      Map<String, String> job = redis.commands().hgetall(redis.key("job:" + id));
      Process p = job.get("worker") == null ? null : all.get(job.get("worker"));
      if ("running".equals(job.get("state")) && p != null && p.isAlive()) {
        return Optional.of(new Busy(job.get("worker"), id));
      }
    }
    return Optional.empty();
  }

  /** Kills Redis now and starts it again, empty, {@link #REDIS_OUTAGE} later. */
  private void killRedisForAWhile() throws InterruptedException {
    redisServer.stop();
    count("redis_restarts", 1);
    injections.endLater(
        REDIS_OUTAGE, "bench-redis-restart", redisServer::launch, "redis running again, empty");
  }

  /** What was injected so far, by kind. */
  public Map<String, Integer> injected() {
    return injections.injected();
  }

  private boolean at(int index, double share) {
    return injections.at(index, share);
  }

  private void count(String kind, int n) {
    injections.count(kind, n);
  }
}
