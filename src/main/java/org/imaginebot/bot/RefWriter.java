package org.imaginebot.bot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.imaginebot.db.DatabaseFailure;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.RequestJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores {@code action_ref} rows on a thread of its own, so that a reply (a cache hit above all)
 * goes out without waiting for the database: a commit, a busy pool or an outage would otherwise sit
 * in front of every answer. Rows handed over meanwhile are written together, in one transaction, in
 * the order given. A failed write is logged and tried again, the same rows first, after 0.5 s
 * doubling up to a minute, until it lands or the rows' button time is up; a row stays readable from
 * memory ({@link #pending}) until it is stored, so its buttons work on this node at once.
 */
final class RefWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RefWriter.class);

  /** Rows per transaction at most; more wait for the next. */
  private static final int MAX_BATCH = 500;

  /** How long {@link #close} lets the last rows be written before it gives up on them. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Something to run in each write's transaction first (the purge of expired rows). */
  @FunctionalInterface
  interface BeforeWrite {
    void run(Connection connection, Instant now) throws SQLException;
  }

  /** A row to insert ({@code noteJob} null), or the job to note on a row handed over earlier. */
  private record Op(PendingRef row, JobId noteJob) {}

  private final DataSource dataSource;
  private final Clock clock;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final int capacity;
  private final BeforeWrite beforeWrite;
  private final ScheduledExecutorService thread;

  /** Rows not yet stored (or whose job is not yet noted), by ref: read without the lock. */
  private final Map<String, PendingRef> pending = new ConcurrentHashMap<>();

  private final Object lock = new Object();
  // Guarded by lock:
  private final ArrayDeque<Op> queue = new ArrayDeque<>();
  private final Map<String, Integer> opsLeft = new HashMap<>();
  private boolean draining;
  private boolean closed;
  private Duration backoff;
  private int failures; // of the batch at the queue's head, in a row
  private boolean fullWarned;

  /**
   * @param firstBackoff the wait after a first failure, doubled after each further one
   * @param capacity rows held at most while the database is away; past that a reply has no buttons
   */
  RefWriter(
      DataSource dataSource,
      Clock clock,
      Duration firstBackoff,
      Duration maxBackoff,
      int capacity,
      BeforeWrite beforeWrite) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    this.capacity = capacity;
    this.beforeWrite = Objects.requireNonNull(beforeWrite, "beforeWrite");
    this.backoff = firstBackoff;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "action-ref-writer");
              t.setDaemon(true); // close() flushes; a core never closed must not keep a JVM alive
              return t;
            });
  }

  /**
   * Hands {@code row} over to be stored; false when it cannot be taken (closed, or {@code capacity}
   * rows already wait for a database that is away): the caller goes on without it.
   */
  boolean store(PendingRef row) {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      if (pending.size() >= capacity) {
        if (!fullWarned) {
          fullWarned = true;
          LOG.warn(
              "{} button references wait for the database; replies go out without buttons until"
                  + " they are stored",
              pending.size());
        }
        return false;
      }
      pending.put(row.ref, row);
      enqueue(new Op(row, null));
      return true;
    }
  }

  /** Notes {@code job} on {@code row}, handed over earlier and perhaps stored already. */
  void noteJob(PendingRef row, JobId job) {
    synchronized (lock) {
      row.job(job);
      if (closed) {
        return;
      }
      pending.put(row.ref, row); // readable with its job until the note is stored
      enqueue(new Op(row, job));
    }
  }

  /** The row of {@code ref} while it is not yet stored; null when it is (or never was) handed. */
  PendingRef pending(String ref) {
    return pending.get(ref);
  }

  private void enqueue(Op op) {
    queue.add(op);
    opsLeft.merge(op.row().ref, 1, Integer::sum);
    if (!draining) {
      draining = true;
      thread.execute(this::drain);
    }
  }

  /** Writes the rows at the head of the queue; on failure, schedules itself again later. */
  private void drain() {
    List<Op> batch;
    boolean retrying;
    synchronized (lock) {
      batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
      for (Op op : queue) {
        if (batch.size() == MAX_BATCH) {
          break;
        }
        batch.add(op);
      }
      if (batch.isEmpty()) {
        draining = false;
        lock.notifyAll();
        return;
      }
      retrying = failures > 0;
    }
    try {
      write(batch, retrying);
    } catch (SQLException | RuntimeException e) {
      Duration wait;
      synchronized (lock) {
        failures++;
        wait = backoff;
        backoff =
            backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                ? maxBackoff
                : backoff.multipliedBy(2);
        LOG.warn(
            "storing {} button references failed ({}, try {}); trying again in {} ms",
            rows(batch),
            DatabaseFailure.describe(e),
            failures,
            wait.toMillis());
      }
      try {
        thread.schedule(this::drain, wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // close() gave up on the rows and logged them
      }
      return;
    }
    synchronized (lock) {
      if (failures > 0) {
        LOG.info("{} button references stored after {} failed tries", rows(batch), failures);
      }
      failures = 0;
      backoff = firstBackoff;
      fullWarned = false;
      for (int i = 0; i < batch.size(); i++) {
        Op done = queue.poll();
        String ref = done.row().ref;
        int left = opsLeft.merge(ref, -1, Integer::sum);
        if (left <= 0) {
          opsLeft.remove(ref);
          pending.remove(ref);
        }
      }
      if (queue.isEmpty()) {
        draining = false;
        lock.notifyAll();
      } else {
        try {
          thread.execute(this::drain);
        } catch (RejectedExecutionException closing) {
          // close() gave up on the rows and logged them
        }
      }
    }
  }

  /** The rows a batch writes (an insert and a job note of one row are one). */
  private static long rows(List<Op> batch) {
    return batch.stream().map(op -> op.row().ref).distinct().count();
  }

  /**
   * One transaction: the inserts (a row whose time is up is skipped: it would only be purged), then
   * the job notes. When the same rows failed before, those a lost commit answer may have stored
   * already are skipped rather than inserted twice.
   */
  private void write(List<Op> batch, boolean retrying) throws SQLException {
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        beforeWrite.run(connection, now);
        List<PendingRef> inserts = new ArrayList<>();
        List<Op> notes = new ArrayList<>();
        for (Op op : batch) {
          if (op.row().expiredAt(now)) {
            continue;
          }
          if (op.noteJob() == null) {
            inserts.add(op.row());
          } else {
            notes.add(op);
          }
        }
        if (retrying && !inserts.isEmpty()) {
          Set<String> there = stored(connection, inserts);
          inserts.removeIf(row -> there.contains(row.ref));
        }
        insert(connection, inserts);
        noteJobs(connection, notes);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  private static void insert(Connection connection, List<PendingRef> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO action_ref (ref, request_json, expires_at, requester_id, scope_id,"
                + " job_id) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (PendingRef row : rows) {
        JobId job = row.job(); // read now: a queued job's id given after the hand-over is in
        insert.setString(1, row.ref);
        insert.setString(2, RequestJson.write(row.request));
        insert.setObject(3, OffsetDateTime.ofInstant(row.expiresAt, ZoneOffset.UTC));
        insert.setString(4, row.requesterId);
        insert.setString(5, row.scopeId);
        insert.setString(6, job == null ? null : job.value());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void noteJobs(Connection connection, List<Op> notes) throws SQLException {
    if (notes.isEmpty()) {
      return;
    }
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE action_ref SET job_id = ? WHERE ref = ?")) {
      for (Op note : notes) {
        update.setString(1, note.noteJob().value());
        update.setString(2, note.row().ref);
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  private static Set<String> stored(Connection connection, List<PendingRef> rows)
      throws SQLException {
    String marks = String.join(", ", Collections.nCopies(rows.size(), "?"));
    try (PreparedStatement select =
        connection.prepareStatement("SELECT ref FROM action_ref WHERE ref IN (" + marks + ")")) {
      for (int i = 0; i < rows.size(); i++) {
        select.setString(i + 1, rows.get(i).ref);
      }
      Set<String> there = new HashSet<>();
      try (ResultSet found = select.executeQuery()) {
        while (found.next()) {
          there.add(found.getString(1));
        }
      }
      return there;
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool drops it
    }
  }

  /**
   * Lets the rows handed over so far be written (up to 5 s), then stops; rows still unwritten are
   * logged as lost (their buttons will say the image is too old).
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    synchronized (lock) {
      closed = true;
      if (draining && failures > 0) {
        thread.execute(this::drain); // one more try now, not after the backoff
      }
      while (draining) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (!queue.isEmpty()) {
        LOG.error(
            "{} button references could not be stored before shutting down; those buttons will"
                + " not work after the restart",
            pending.size());
      }
    }
    thread.shutdownNow();
  }
}
