package org.imaginebot.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.imaginebot.queue.Admission;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.Admission.Refused;
import org.imaginebot.queue.CancelResult;
import org.imaginebot.queue.GroupCommit;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobAttachment;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobState;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.JobStoreException;
import org.imaginebot.queue.QueueLimits;
import org.imaginebot.queue.RefusalReason;
import org.imaginebot.queue.RequestJson;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fair queue shared by every node of a cluster: each job is recorded in the database (the
 * truth, as for the local persistent queue) and queued in Redis, where Lua scripts keep one FIFO
 * per user and a rotation of users, so round-robin holds across all workers.
 *
 * <p>A worker's {@code take} runs {@code dispatch.lua}: the next eligible job in fair order (its
 * guild neither paused nor at its GPU share, cluster-wide) is added to the stream {@code jobs} and
 * delivered to this worker through the consumer group {@code workers}. While it runs, heartbeats
 * keep it; when they stop for {@code worker.leaseTimeout} another worker's {@code take} claims it
 * (XAUTOCLAIM) and runs it again. {@link #complete} decides in the database which run ended the job
 * first; a later one is told {@code false} and its result is dropped.
 *
 * <p>When Redis comes back empty (restarted without persistence, or a first start), the first node
 * to notice re-queues the database's unfinished jobs in their order, so no admitted job is lost.
 */
public final class RedisJobQueue implements JobQueue, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisJobQueue.class);
  static final String GROUP = "workers";
  private static final long ENDED_TTL_SECONDS = 3600;
  private static final Duration WATCH = Duration.ofSeconds(1);

  /** A job this process runs: its stream entry and the bot node that asked for it. */
  private record Taken(String entry, String origin) {}

  private final Redis redis;
  private final JobStore store;
  private final GroupCommit writes;
  private final Clock clock;
  private final String node;
  private final Duration lease;
  private final IntSupplier defaultShare;
  private final int workerSlots;
  private final AtomicLong seq;
  private final ConcurrentMap<JobId, Taken> taken = new ConcurrentHashMap<>();
  private final ConcurrentMap<JobId, String> origins = new ConcurrentHashMap<>();
  private final Set<JobId> admittedHere = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ScheduledExecutorService timer;
  private final List<Runnable> refillListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The waiting jobs of each user and of everyone as this node last saw them (see nearCaps). */
  private final Cache<String, Long> waitingHint =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(10)).build();

  private volatile long queuedHint;
  private volatile long nextReclaimNanos = System.nanoTime(); // when takes look for takeovers
  private long wakeups; // guarded by lock: recheck() calls, so a wake-up during a take is not lost
  private volatile QueueLimits limits;
  private volatile String epoch = "";

  /**
   * @param defaultShare a guild's GPU share when none is published for it (the default setting)
   * @param workerSlots jobs this node runs at once (0 on a bot node): counted in {@link
   *     #clusterConcurrency()}
   */
  public RedisJobQueue(
      Redis redis,
      JobStore store,
      QueueLimits limits,
      Clock clock,
      Duration lease,
      IntSupplier defaultShare,
      int workerSlots) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.store = Objects.requireNonNull(store, "store");
    this.writes = new GroupCommit(store);
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.node = redis.config().node();
    this.lease = Objects.requireNonNull(lease, "lease");
    this.defaultShare = Objects.requireNonNull(defaultShare, "defaultShare");
    this.workerSlots = workerSlots;
    this.seq = new AtomicLong(Math.max(store.maxSeq(), clock.millis() * 1000));
    this.timer = Daemons.scheduler("redis-queue-" + node);
    redis.subscribe("ready", (channel, id) -> recheck());
    watchEpoch();
    long beat = beatMillis();
    timer.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(
        this::watchEpoch, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Heartbeats, and looks for jobs to take over, a third of the lease apart (at least 200 ms). */
  private long beatMillis() {
    return Math.max(200, lease.toMillis() / 3);
  }

  /** Runs {@code listener} whenever this node refills an empty Redis from the database. */
  public void onRefill(Runnable listener) {
    refillListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The name of this node, as the cluster knows it. */
  public String node() {
    return node;
  }

  /** The bot node that asked for a job this process runs or has just ended; empty when unknown. */
  public Optional<String> origin(JobId id) {
    return Optional.ofNullable(origins.get(id));
  }

  /** Forgets the origin of a job whose final event went out. */
  void forgetOrigin(JobId id) {
    origins.remove(id);
  }

  /** Jobs admitted through this node whose final event has not been delivered here yet. */
  Set<JobId> admittedHere() {
    return admittedHere;
  }

  @Override
  public Admission offer(
      String userId,
      String scopeId,
      GenerationRequest request,
      int maxQueuedForUser,
      JobAttachment attachment) {
    Objects.requireNonNull(attachment, "attachment");
    Job job = new Job(JobId.random(), userId, scopeId, request, clock.instant(), JobState.QUEUED);
    int userCap = Math.min(limits.maxQueuedPerUser(), maxQueuedForUser);
    Refused refused;
    if (nearCaps(userId, userCap)) {
      // Checked first, so a likely refusal costs no database write; the admission checks again.
      try {
        refused = answer(userId, admit(job, "", 0, userCap, "2"));
      } catch (RedisException e) {
        return redisDown(e);
      }
      if (refused != null) {
        return refused;
      }
    }
    long s = seq.incrementAndGet();
    if (!writes.insert(job, s, attachment)) {
      return Refused.storeUnavailable();
    }
    List<Object> admitted;
    try {
      admitted = admit(job, RequestJson.write(job.request()), s, userCap, "0");
    } catch (RedisException e) {
      // The user hears "nothing was queued": so nothing stays, neither the row nor its quota count.
      writes.withdraw(job.id(), attachment);
      return redisDown(e);
    }
    refused = answer(userId, admitted);
    if (refused != null) { // another admission took the last place meanwhile
      writes.withdraw(job.id(), attachment);
      return refused;
    }
    admittedHere.add(job.id());
    long position = (Long) admitted.get(1);
    return new Admitted(job, position > 0 ? (int) position : position(job.id()));
  }

  /** Runs {@code admit.lua}; {@code requestJson} may be empty in mode 2, which stores nothing. */
  private List<Object> admit(Job job, String requestJson, long s, int userCap, String mode) {
    return redis.script(
        "admit",
        ScriptOutputType.MULTI,
        job.id().value(),
        job.userId(),
        job.scopeId(),
        requestJson,
        Long.toString(job.enqueuedAt().toEpochMilli()),
        Long.toString(s),
        node,
        Integer.toString(userCap),
        Integer.toString(limits.maxQueued()),
        mode);
  }

  /**
   * Whether the last counts this node saw put {@code user} or the queue within one job of a cap.
   * Only then are the caps checked before the job is stored: elsewhere a refusal is unlikely, and
   * when one comes (another node filled the place) the stored job is withdrawn.
   */
  private boolean nearCaps(String user, int userCap) {
    Long mine = waitingHint.getIfPresent(user);
    return (mine != null && mine >= userCap - 1) || queuedHint >= limits.maxQueued() - 1;
  }

  /** The refusal in {@code admit.lua}'s answer, or null; its counts become this node's hints. */
  private Refused answer(String user, List<Object> answer) {
    long code = (Long) answer.get(0);
    long count = (Long) answer.get(1);
    if (code == 0) {
      waitingHint.put(user, count);
      return Refused.userQueueFull(count);
    }
    if (code == -1) {
      queuedHint = count;
      return Refused.queueFull(count);
    }
    if (code == 1 && answer.size() >= 4) {
      waitingHint.put(user, (Long) answer.get(2));
      queuedHint = (Long) answer.get(3);
    }
    return null;
  }

  private static Refused redisDown(RedisException e) {
    LOG.warn("cannot queue a job: Redis is unreachable ({})", Redis.describe(e));
    return new Refused(
        RefusalReason.STORE_UNAVAILABLE,
        "The bot cannot reach its queue right now; nothing was queued — try again in a minute.");
  }

  @Override
  public Optional<Job> take() {
    try {
      return Optional.ofNullable(take(Duration.ZERO, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public Job take(Duration timeout) throws InterruptedException {
    return take(timeout, null);
  }

  @Override
  public Job take(Duration timeout, Predicate<Job> eligible) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen = wakeups();
      Job job = takeOnce();
      if (job != null) {
        if (eligible == null || eligible.test(job)) {
          return job;
        }
        putBack(job);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      lock.lockInterruptibly();
      try {
        // woken by an admission anywhere ("ready"), a recheck, or after at most the lease's
        // third, when a dead worker's job may be due for takeover
        if (wakeups == seen) {
          ready.awaitNanos(Math.min(left, beatMillis() * 1_000_000));
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private Job takeOnce() {
    try {
      // A takeover is due only a lease after a worker fell silent, so looking for one once a
      // heartbeat interval is enough; a busy worker's every take would otherwise pay for
      // XAUTOCLAIM.
      long now = System.nanoTime();
      if (now - nextReclaimNanos >= 0) {
        List<Object> claimed =
            redis.script(
                "reclaim", ScriptOutputType.MULTI, GROUP, node, Long.toString(lease.toMillis()));
        if (isJob(claimed)) {
          Job job = taken(claimed);
          LOG.info("took over job {}: its worker sent no heartbeat for {}", job.id(), lease);
          return job; // there may be more: look again on the next take
        }
        nextReclaimNanos = now + beatMillis() * 1_000_000;
      }
      List<Object> dispatched =
          redis.script(
              "dispatch",
              ScriptOutputType.MULTI,
              GROUP,
              node,
              Integer.toString(defaultShare.getAsInt()));
      return isJob(dispatched) ? taken(dispatched) : null;
    } catch (RedisException e) {
      LOG.warn("cannot take a job: Redis is unreachable ({})", Redis.describe(e));
      return null;
    }
  }

  /** A script's job answer; Lua's false arrives as nothing or a list holding one null. */
  private static boolean isJob(List<Object> answer) {
    return answer != null && answer.size() > 1;
  }

  /** {entry, id, user, scope, at, req, node}: the job now running here. */
  private Job taken(List<Object> fields) {
    String entry = (String) fields.get(0);
    JobId id = new JobId((String) fields.get(1));
    Job job = job(id, fields.subList(2, 6), JobState.RUNNING);
    taken.put(id, new Taken(entry, (String) fields.get(6)));
    origins.put(id, (String) fields.get(6));
    writes.change(id, JobState.RUNNING);
    return job;
  }

  private static Job job(JobId id, List<Object> f, JobState state) {
    return new Job(
        id,
        (String) f.get(0),
        (String) f.get(1),
        RequestJson.read((String) f.get(3)),
        Instant.ofEpochMilli(Long.parseLong((String) f.get(2))),
        state);
  }

  private void putBack(Job job) {
    taken.remove(job.id());
    origins.remove(job.id());
    redis.script("putback", ScriptOutputType.INTEGER, GROUP, job.id().value());
    writes.change(job.id(), JobState.QUEUED);
  }

  @Override
  public boolean complete(JobId id, JobState finalState) {
    if (finalState == null || !finalState.isFinal()) {
      throw new IllegalArgumentException(
          "final state must be DONE, FAILED or CANCELLED, got " + finalState);
    }
    taken.remove(id);
    Boolean inRedis = null;
    try {
      inRedis =
          1L
              == (Long)
                  redis.script(
                      "finish",
                      ScriptOutputType.INTEGER,
                      GROUP,
                      id.value(),
                      finalState.name().toLowerCase(java.util.Locale.ROOT),
                      Long.toString(ENDED_TTL_SECONDS));
    } catch (RedisException e) {
      LOG.warn("cannot record the end of job {} in Redis ({})", id, Redis.describe(e));
    }
    try {
      return store.finish(id, finalState); // the database decides which run ended it
    } catch (JobStoreException e) {
      LOG.warn("cannot record the end of job {} now ({}); retrying", id, e.getMessage());
      writes.change(id, finalState);
      return inRedis == null || inRedis;
    }
  }

  @Override
  public CancelResult cancel(JobId id, String requesterId, boolean moderator) {
    String owner = redis.commands().hget(redis.key("job:" + id.value()), "user");
    if (owner == null) {
      return CancelResult.NOT_FOUND;
    }
    if (!moderator && !owner.equals(requesterId)) {
      return CancelResult.NOT_ALLOWED;
    }
    String result =
        redis.script(
            "cancel", ScriptOutputType.VALUE, id.value(), Long.toString(ENDED_TTL_SECONDS));
    return switch (result) {
      case "queued" -> {
        writes.change(id, JobState.CANCELLED);
        admittedHere.remove(id);
        yield CancelResult.CANCELLED_QUEUED;
      }
      case "running" -> CancelResult.CANCELLED_RUNNING;
      default -> CancelResult.NOT_FOUND;
    };
  }

  private long wakeups() {
    lock.lock();
    try {
      return wakeups;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void recheck() {
    lock.lock();
    try {
      wakeups++;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int position(JobId id) {
    try {
      Long place = redis.script("position", ScriptOutputType.INTEGER, id.value());
      return place == null ? 0 : place.intValue();
    } catch (RedisException e) {
      return 0;
    }
  }

  @Override
  public List<Job> snapshot() {
    return jobs(0, JobState.QUEUED);
  }

  @Override
  public List<Job> running() {
    return jobs(1, JobState.RUNNING);
  }

  @SuppressWarnings("unchecked")
  private List<Job> jobs(int part, JobState state) {
    List<Object> both;
    try {
      both = redis.script("snapshot", ScriptOutputType.MULTI);
    } catch (RedisException e) {
      LOG.warn("cannot list the queue: Redis is unreachable ({})", Redis.describe(e));
      return List.of();
    }
    List<Job> jobs = new ArrayList<>();
    for (Object o : (List<Object>) both.get(part)) {
      List<Object> f = (List<Object>) o;
      jobs.add(job(new JobId((String) f.get(0)), f.subList(1, 5), state));
    }
    return jobs;
  }

  @Override
  public void pause() {
    redis.commands().set(redis.key("pause"), "1");
  }

  @Override
  public void resume() {
    redis.commands().del(redis.key("pause"));
    redis.publish("ready", "resume");
  }

  @Override
  public boolean isPaused() {
    return redis.commands().exists(redis.key("pause")) == 1;
  }

  @Override
  public void setLimits(QueueLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public QueueLimits limits() {
    return limits;
  }

  /** Jobs all live workers run at once, by their last heartbeats; at least 1. */
  public int clusterConcurrency() {
    try {
      long now = clock.millis();
      int slots = 0;
      for (String member :
          redis
              .commands()
              .zrangebyscore(
                  redis.key("workers"),
                  io.lettuce.core.Range.create((double) now, Double.MAX_VALUE))) {
        slots += Integer.parseInt(member.substring(member.lastIndexOf('/') + 1));
      }
      return Math.max(1, slots);
    } catch (RedisException | NumberFormatException e) {
      return 1;
    }
  }

  private void heartbeat() {
    try {
      if (workerSlots > 0) {
        redis
            .commands()
            .zadd(
                redis.key("workers"),
                (double) (clock.millis() + lease.toMillis()),
                node + "/" + workerSlots);
      }
      List<String> lost = beat(runningEntries());
      if (!lost.isEmpty()) {
        LOG.warn(
            "{} running job(s) were taken over by other workers (this node was silent longer than"
                + " worker.leaseTimeout {}); the first run to finish counts",
            lost.size(),
            lease);
      }
    } catch (RedisException e) {
      LOG.warn("heartbeat failed: Redis is unreachable ({})", Redis.describe(e));
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed", e);
    }
  }

  /** The stream entries of the jobs this process runs now. */
  List<String> runningEntries() {
    return taken.values().stream().map(Taken::entry).toList();
  }

  /**
   * Keeps {@code entries} with this worker; returns those another worker took over meanwhile. A job
   * that ended while the beat was on its way has left the stream too, but it was not taken over.
   */
  List<String> beat(List<String> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
    String[] args = new String[entries.size() + 2];
    args[0] = GROUP;
    args[1] = node;
    for (int i = 0; i < entries.size(); i++) {
      args[i + 2] = entries.get(i);
    }
    List<Object> gone = redis.script("heartbeat", ScriptOutputType.MULTI, args);
    Set<String> running = new HashSet<>(runningEntries());
    return gone.stream().map(String.class::cast).filter(running::contains).toList();
  }

  /**
   * Re-queues the database's unfinished jobs when Redis has lost them: {@code epoch} is set with NX
   * by the first node that finds it missing, and only that node re-queues.
   */
  private void watchEpoch() {
    try {
      String mine = UUID.randomUUID().toString();
      String set = redis.commands().set(redis.key("epoch"), mine, SetArgs.Builder.nx());
      if ("OK".equals(set)) {
        epoch = mine;
        requeueFromStore();
      }
    } catch (RedisException e) {
      LOG.debug("epoch check failed: Redis is unreachable ({})", Redis.describe(e));
    } catch (RuntimeException e) {
      LOG.warn("could not re-queue the database's unfinished jobs; will try again", e);
      redis.commands().del(redis.key("epoch"));
    }
  }

  private void requeueFromStore() {
    refillListeners.forEach(Runnable::run);
    List<Job> unfinished = store.loadUnfinished();
    int added = 0;
    for (Job job : unfinished) {
      List<Object> answer = admit(job, RequestJson.write(job.request()), 0, Integer.MAX_VALUE, "1");
      if ((Long) answer.get(0) == 1) {
        added++;
      }
    }
    if (added > 0) {
      LOG.info("re-queued {} unfinished job(s) from the database into Redis", added);
      redis.publish("ready", "requeued");
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
