package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.testing.FakeClock;
import org.imaginebot.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

/** The pacer on a scheduler and a clock the test drives: every edit's time is exact. */
final class EditPacerTest {

  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final long startNanos = clock.nanoTime();
  private final List<ReplyState> sent = new ArrayList<>();
  private final List<Duration> sentAt = new ArrayList<>();

  private EditPacer<ReplyState> pacer(Duration minInterval) {
    return new EditPacer<>(scheduler, minInterval, clock::nanoTime);
  }

  private CompletableFuture<?> record(ReplyState state) {
    sent.add(state);
    sentAt.add(Duration.ofNanos(clock.nanoTime() - startNanos));
    return CompletableFuture.completedFuture(null);
  }

  private static ReplyState step(int n) {
    return new ReplyState.Running(n, 100, 1.0, Duration.ZERO, null);
  }

  @Test
  void offers_beforeStart_onlyTheNewestIsSent() {
    EditPacer<ReplyState> pacer = pacer(Duration.ofMillis(50));
    pacer.offer(new ReplyState.Queued(3, Duration.ZERO));
    pacer.offer(new ReplyState.Queued(2, Duration.ZERO));

    pacer.start(this::record);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(sent).containsExactly(new ReplyState.Queued(2, Duration.ZERO));
    assertThat(sentAt).containsExactly(Duration.ZERO);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aBurstOfSteps_isCoalesced_andEditsAreTheIntervalApart() {
    EditPacer<ReplyState> pacer = pacer(Duration.ofMillis(200));
    pacer.start(this::record);

    for (int i = 1; i <= 100; i++) { // one step every 5 ms for 0.5 s
      pacer.offer(step(i));
      scheduler.advance(Duration.ofMillis(5));
    }
    pacer.offer(new ReplyState.Cancelled());
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(sent)
        .as("the newest step at each edit, then the final state")
        .containsExactly(step(1), step(40), step(80), new ReplyState.Cancelled());
    assertThat(sentAt)
        .containsExactly(
            Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(600));
  }

  @Test
  void finalState_isNeverReplacedOrDropped() {
    EditPacer<ReplyState> pacer = pacer(Duration.ofMillis(100));
    pacer.start(this::record);
    pacer.offer(step(1));
    scheduler.runDue();

    pacer.offer(new ReplyState.Failed("boom"));
    pacer.offer(step(2));
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(sent).containsExactly(step(1), new ReplyState.Failed("boom"));
    assertThat(sentAt).containsExactly(Duration.ZERO, Duration.ofMillis(100));
  }

  @Test
  void aFailedEdit_doesNotStopTheNextOnes() {
    EditPacer<ReplyState> pacer = pacer(Duration.ofMillis(20));
    pacer.start(
        state -> {
          record(state);
          return state instanceof ReplyState.Running
              ? CompletableFuture.failedFuture(new IllegalStateException("429 forever"))
              : CompletableFuture.completedFuture(null);
        });

    pacer.offer(step(1));
    scheduler.runDue();
    pacer.offer(new ReplyState.Cancelled());
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(sent).containsExactly(step(1), new ReplyState.Cancelled());
    assertThat(sentAt).containsExactly(Duration.ZERO, Duration.ofMillis(20));
  }

  @Test
  void aFailedFinalEdit_isSentAgain_withGrowingWaits_untilItGoesThrough() {
    EditPacer<ReplyState> pacer = pacer(Duration.ofMillis(100));
    List<Boolean> answers = new ArrayList<>(List.of(false, false, true)); // 500, 500, then 200
    pacer.start(
        state -> {
          record(state);
          return answers.remove(0)
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.failedFuture(new IllegalStateException("500: Server Error"));
        });

    pacer.offer(new ReplyState.Cancelled());
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(sent)
        .containsExactly(
            new ReplyState.Cancelled(), new ReplyState.Cancelled(), new ReplyState.Cancelled());
    assertThat(sentAt)
        .containsExactly(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(300));
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aFinalEditThatKeepsFailing_isGivenUpAfterTheRetries() {
    EditPacer<ReplyState> pacer = pacer(Duration.ofMillis(10));
    pacer.start(
        state -> {
          record(state);
          return CompletableFuture.failedFuture(new IllegalStateException("403: Missing Access"));
        });

    pacer.offer(new ReplyState.Failed("boom"));
    scheduler.advance(Duration.ofSeconds(5));
    pacer.offer(step(9)); // after the final state nothing more is sent
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(sent)
        .hasSize(1 + EditPacer.FINAL_RETRIES)
        .containsOnly(new ReplyState.Failed("boom"));
    assertThat(sentAt)
        .containsExactly(
            Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(30), Duration.ofMillis(70));
  }

  @Test
  void aSlowEdit_holdsTheNextOneBack_untilTheIntervalAfterItFinished() {
    EditPacer<ReplyState> pacer = pacer(Duration.ofMillis(10));
    CompletableFuture<Void> slow = new CompletableFuture<>();
    pacer.start(
        state -> {
          record(state);
          return sent.size() == 1 ? slow : CompletableFuture.completedFuture(null);
        });
    pacer.offer(step(1));
    scheduler.runDue();

    pacer.offer(step(2));
    pacer.offer(step(3));
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(sent).as("one edit in flight at a time").containsExactly(step(1));

    slow.complete(null);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(sent).containsExactly(step(1), step(3));
    assertThat(sentAt).containsExactly(Duration.ZERO, Duration.ofMillis(5_010));
  }
}
