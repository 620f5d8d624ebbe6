package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class EditPacerTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<ReplyState> sent = new CopyOnWriteArrayList<>();
  private final List<Long> sentAt = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private CompletableFuture<?> record(ReplyState state) {
    sent.add(state);
    sentAt.add(System.nanoTime());
    return CompletableFuture.completedFuture(null);
  }

  private static ReplyState step(int n) {
    return new ReplyState.Running(n, 100, 1.0, Duration.ZERO, null);
  }

  @Test
  void offers_beforeStart_onlyTheNewestIsSent() throws Exception {
    EditPacer pacer = new EditPacer(scheduler, Duration.ofMillis(50), System::nanoTime);
    pacer.offer(new ReplyState.Queued(3, Duration.ZERO));
    pacer.offer(new ReplyState.Queued(2, Duration.ZERO));

    pacer.start(this::record);

    awaitSent(1);
    Thread.sleep(150);
    assertThat(sent).containsExactly(new ReplyState.Queued(2, Duration.ZERO));
  }

  @Test
  void aBurstOfSteps_isCoalesced_andEditsAreAtLeastTheIntervalApart() throws Exception {
    EditPacer pacer = new EditPacer(scheduler, Duration.ofMillis(200), System::nanoTime);
    pacer.start(this::record);

    for (int i = 1; i <= 100; i++) {
      pacer.offer(step(i));
      Thread.sleep(5);
    }
    pacer.offer(new ReplyState.Cancelled());
    awaitLast(new ReplyState.Cancelled());

    assertThat(sent.size()).as("~0.5 s of steps at one edit per 200 ms").isBetween(2, 6);
    for (int i = 1; i < sentAt.size(); i++) {
      assertThat(sentAt.get(i) - sentAt.get(i - 1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  @Test
  void finalState_isNeverReplacedOrDropped() throws Exception {
    EditPacer pacer = new EditPacer(scheduler, Duration.ofMillis(100), System::nanoTime);
    pacer.start(this::record);
    pacer.offer(step(1));
    pacer.offer(new ReplyState.Failed("boom"));
    pacer.offer(step(2));

    awaitLast(new ReplyState.Failed("boom"));
    Thread.sleep(250);

    assertThat(sent).last().isEqualTo(new ReplyState.Failed("boom"));
    assertThat(sent).doesNotContain(step(2));
  }

  @Test
  void aFailedEdit_doesNotStopTheNextOnes() throws Exception {
    EditPacer pacer = new EditPacer(scheduler, Duration.ofMillis(20), System::nanoTime);
    pacer.start(state -> {
      sent.add(state);
      return state instanceof ReplyState.Running
          ? CompletableFuture.failedFuture(new IllegalStateException("429 forever"))
          : CompletableFuture.completedFuture(null);
    });

    pacer.offer(step(1));
    awaitSent(1);
    pacer.offer(new ReplyState.Cancelled());

    awaitLast(new ReplyState.Cancelled());
  }

  @Test
  void aSlowEdit_holdsTheNextOneBack() throws Exception {
    EditPacer pacer = new EditPacer(scheduler, Duration.ofMillis(10), System::nanoTime);
    CompletableFuture<Void> slow = new CompletableFuture<>();
    pacer.start(state -> {
      sent.add(state);
      return sent.size() == 1 ? slow : CompletableFuture.completedFuture(null);
    });
    pacer.offer(step(1));
    awaitSent(1);

    pacer.offer(step(2));
    pacer.offer(step(3));
    Thread.sleep(100);
    assertThat(sent).as("one edit in flight at a time").hasSize(1);
    slow.complete(null);

    awaitLast(step(3));
    assertThat(sent).containsExactly(step(1), step(3));
  }

  private void awaitSent(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sent.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(sent).hasSizeGreaterThanOrEqualTo(count);
  }

  private void awaitLast(ReplyState state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((sent.isEmpty() || !sent.get(sent.size() - 1).equals(state)) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(sent).last().isEqualTo(state);
  }
}
