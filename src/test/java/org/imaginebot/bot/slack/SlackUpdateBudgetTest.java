package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.imaginebot.bot.EditBudget;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.testing.FakeClock;
import org.imaginebot.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

/**
 * The workspace's budget of updates ({@link EditBudget}) with the messages' pacers, on a clock and
 * scheduler the test drives: every send's time is exact, no test sleeps.
 */
final class SlackUpdateBudgetTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration INTERVAL = Duration.ofSeconds(3);

  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final long startNanos = clock.nanoTime();

  private record Sent(int message, SlackState state, Duration at) {}

  private final List<Sent> sent = new ArrayList<>();

  private EditPacer<SlackState> message(int id, EditBudget budget) {
    EditPacer<SlackState> pacer = new EditPacer<>(scheduler, INTERVAL, clock::nanoTime);
    pacer.gate(budget, state -> !state.isFinal());
    pacer.start(
        state -> {
          sent.add(new Sent(id, state, Duration.ofNanos(clock.nanoTime() - startNanos)));
          return CompletableFuture.completedFuture(null);
        });
    return pacer;
  }

  private EditBudget budget(int perMinute) {
    return new EditBudget(perMinute, MINUTE, clock::nanoTime, scheduler);
  }

  private static SlackState queued(int position) {
    return new SlackState.Queued(position, Duration.ZERO);
  }

  @Test
  void manyMessages_stayWithinTheBudget_inEveryRollingMinute_andEachGetsItsTurn() {
    EditBudget budget = budget(5);
    List<EditPacer<SlackState>> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(message(i, budget));
    }

    for (int second = 0; second < 300; second++) { // each message a new position every second
      for (EditPacer<SlackState> m : messages) {
        m.offer(queued(1000 - second));
      }
      scheduler.advance(Duration.ofSeconds(1));
    }

    assertThat(sent).hasSizeBetween(5 * 5, 5 * 5 + 5);
    for (Sent s : sent) { // any minute window, starting at a send, holds at most 5
      long inWindow =
          sent.stream()
              .filter(
                  o ->
                      !o.at().minus(s.at()).isNegative()
                          && o.at().minus(s.at()).compareTo(MINUTE) < 0)
              .count();
      assertThat(inWindow).as("sends in the minute from %s", s.at()).isLessThanOrEqualTo(5);
    }
    // First come, first served: the first 20 sends are 20 different messages.
    assertThat(sent.subList(0, 20).stream().map(Sent::message).distinct()).hasSize(20);
    assertThat(budget.waiting()).isLessThanOrEqualTo(20); // nothing piles up: one place a message
  }

  @Test
  void aWaitingMessage_sendsOnlyItsNewestState_whenItsTurnComes() {
    EditBudget budget = budget(1);
    EditPacer<SlackState> first = message(1, budget);
    EditPacer<SlackState> second = message(2, budget);
    first.offer(queued(9));
    scheduler.runDue();

    second.offer(queued(5)); // over budget: waits
    scheduler.advance(Duration.ofSeconds(10));
    second.offer(queued(4));
    second.offer(queued(3));
    scheduler.advance(Duration.ofSeconds(10));
    second.offer(queued(2));
    scheduler.advance(MINUTE);

    assertThat(sent)
        .containsExactly(
            new Sent(1, queued(9), Duration.ZERO), new Sent(2, queued(2), Duration.ofMinutes(1)));
  }

  @Test
  void finalStates_bypassASpentBudget_andLeaveTheLine() {
    EditBudget budget = budget(2);
    EditPacer<SlackState> busy = message(1, budget);
    EditPacer<SlackState> waiting = message(2, budget);
    busy.offer(queued(3));
    scheduler.runDue();
    scheduler.advance(INTERVAL);
    busy.offer(queued(2));
    scheduler.runDue();
    waiting.offer(queued(4)); // budget spent (2 in this minute): waits
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(budget.waiting()).isEqualTo(1);

    waiting.offer(new SlackState.Cancelled());
    busy.offer(new SlackState.Failed("out of memory"));
    scheduler.advance(INTERVAL);

    assertThat(sent.stream().map(Sent::state))
        .containsExactly(
            queued(3),
            queued(2),
            new SlackState.Cancelled(),
            new SlackState.Failed("out of memory"));
    assertThat(sent.get(2).at()).isEqualTo(Duration.ofSeconds(8)); // at once, no budget asked
    assertThat(budget.waiting()).isZero();
    assertThat(budget.used()).isEqualTo(2); // finals took no permit
    scheduler.advance(Duration.ofMinutes(2));
    assertThat(sent).hasSize(4); // the withdrawn wait sent nothing later
  }

  @Test
  void aBudgetOfNothing_isRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> budget(0))
        .withMessageContaining("more than 0");
  }
}
