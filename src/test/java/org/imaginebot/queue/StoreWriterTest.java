package org.imaginebot.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit: the writes that arrive while one group is stored go together in the next. */
final class StoreWriterTest {

  private final GatedStore store = new GatedStore();
  private final List<List<StoreWriter.Write>> groupsSeen = new CopyOnWriteArrayList<>();
  private final StoreWriter writer =
      new StoreWriter(store, new StateRetries(store, Duration.ofMillis(1), 1), groupsSeen::add);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    store.open();
    threads.shutdownNow();
  }

  @Test
  void writesArrivingDuringACommit_areStoredInOneNextGroup_andEachCallerReturnsOnceItIsCommitted()
      throws Exception {
    Future<Boolean> first = flushInThread(write());
    await().until(() -> store.groups.size() == 1); // the first group is in its commit, held there
    List<Future<Boolean>> others = new ArrayList<>();
    List<Thread> waiting = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 7; i++) {
      StoreWriter.Write w = write();
      others.add(
          threads.submit(
              () -> {
                waiting.add(Thread.currentThread());
                writer.flush(w);
                return w.stored();
              }));
    }
    await()
        .until(
            () ->
                waiting.size() == 7
                    && waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    assertThat(others).noneMatch(Future::isDone);

    store.open();

    assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
    for (Future<Boolean> other : others) {
      assertThat(other.get(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(store.groups)
        .extracting(List::size)
        .containsExactly(1, 7); // two commits for eight writes
    assertThat(groupsSeen).extracting(List::size).containsExactly(1, 7);
  }

  @Test
  void aCallerInterruptedWhileWaiting_stillLearnsThatItsWriteWasStored_andKeepsItsInterrupt()
      throws Exception {
    Future<Boolean> first = flushInThread(write());
    await().until(() -> store.groups.size() == 1);
    StoreWriter.Write mine = write();
    AtomicBoolean interruptKept = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread[] waiter = new Thread[1];
    Future<Boolean> second =
        threads.submit(
            () -> {
              waiter[0] = Thread.currentThread();
              started.countDown();
              writer.flush(mine);
              interruptKept.set(Thread.currentThread().isInterrupted());
              return mine.stored();
            });
    started.await();
    await().until(() -> waiter[0].getState() == Thread.State.WAITING);
    waiter[0].interrupt();
    store.open();

    assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(interruptKept).isTrue();
  }

  private StoreWriter.Write write() {
    return writer.enqueue(new JobWrite.StateChange(JobId.random(), JobState.DONE));
  }

  private Future<Boolean> flushInThread(StoreWriter.Write w) {
    return threads.submit(
        () -> {
          writer.flush(w);
          return w.stored();
        });
  }

  /** A store that records each group and holds every commit until {@link #open()} is called. */
  private static final class GatedStore implements JobStore {
    final List<List<JobWrite>> groups = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    void open() {
      gate.countDown();
    }

    @Override
    public void write(List<JobWrite> writes) {
      groups.add(List.copyOf(writes));
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobStoreException("interrupted", e);
      }
    }

    @Override
    public boolean finish(JobId id, JobState finalState) {
      throw new UnsupportedOperationException("the writer never ends jobs alone");
    }

    @Override
    public List<Job> loadUnfinished() {
      return List.of();
    }

    @Override
    public long maxSeq() {
      return 0;
    }
  }
}
