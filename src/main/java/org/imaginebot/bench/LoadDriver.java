package org.imaginebot.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.imaginebot.bench.LoadPlan.Command;
import org.imaginebot.bench.LoadPlan.Kind;
import org.imaginebot.bench.LoadRecord.Answer;

/**
 * Sends a {@link LoadPlan} as {@code /imagine} commands through a fake chat platform that a running
 * bot is connected to, at the plan's rate, and records what each got back (see {@link LoadRecord}),
 * whatever the platform: the pacing, the prompts, the repeats of finished requests and the wait for
 * final messages are here; sending a command and reading the fake's recorded calls is the
 * platform's ({@link DiscordLoad}, {@link SlackLoad}).
 */
public abstract class LoadDriver {

  /** No new final message for this long after the last command: the rest are lost. */
  private final Duration stall;

  private final Consumer<String> log;
  private final List<Tracked> finished = new ArrayList<>();
  private volatile long lastFinalNanos;

  /** One command while the run goes on. */
  protected static final class Tracked {
    final Command command;
    final String prompt;
    final long seed;
    final long sentNanos;
    volatile Answer answer = Answer.NONE;
    volatile long answeredNanos;
    final List<Long> finals = new ArrayList<>();

    Tracked(Command command, String prompt, long seed, long sentNanos) {
      this.command = command;
      this.prompt = prompt;
      this.seed = seed;
      this.sentNanos = sentNanos;
    }

    synchronized LoadRecord record() {
      return new LoadRecord(command, sentNanos, answer, answeredNanos, finals);
    }

    synchronized boolean hasFinal() {
      return !finals.isEmpty();
    }
  }

  protected LoadDriver(Duration stall, Consumer<String> log) {
    this.stall = stall;
    this.log = log;
  }

  /**
   * Sends {@code prompt} with {@code seed} and {@code steps} as {@code command} and returns it
   * tracked; {@link #update} fills in what comes back.
   */
  protected abstract Tracked dispatch(Command command, String prompt, long seed, int steps)
      throws IOException, InterruptedException;

  /** Reads the calls the fake recorded since the last update. */
  protected abstract void update();

  /**
   * Whether a command that has no answer yet may still get one: a callback that comes later
   * (Discord), or not, as the answer came back with the request (Slack's HTTP ack).
   */
  protected abstract boolean answersLater();

  /**
   * The run's figures ({@link LoadFigures}) from {@code records} and the calls the fake recorded,
   * with the platform's own figures.
   */
  public abstract ObjectNode figures(List<LoadRecord> records);

  /** Sends {@code load}'s commands, nothing injected; see {@link #run(ChatLoad, IntConsumer)}. */
  public List<LoadRecord> run(ChatLoad load) throws IOException, InterruptedException {
    return run(load, index -> {});
  }

  /**
   * Sends {@code load}'s commands (calling {@code before} with each one's index ahead of it), waits
   * until every admitted job has its final message or none came for the stall time, and returns
   * what each command got. A repeat asks again for a request whose image was delivered.
   */
  protected List<LoadRecord> run(ChatLoad load, IntConsumer before)
      throws IOException, InterruptedException {
    List<Command> plan = LoadPlan.of(load);
    Random pick = new Random(load.seed() ^ 0x5DEECE66DL);
    List<Tracked> sent = new ArrayList<>(plan.size());
    long start = System.nanoTime();
    long intervalNanos = (long) (1e9 / load.perSecond());
    for (Command command : plan) {
      before.accept(command.index());
      sleepUntil(start + command.index() * intervalNanos);
      update();
      sent.add(send(command, load.steps(), pick));
      if ((command.index() + 1) % 100 == 0) {
        log.accept(
            String.format(
                "load: %d of %d commands sent, %d finished",
                command.index() + 1, plan.size(), finishedCount()));
      }
    }
    awaitFinals(sent);
    return sent.stream().map(Tracked::record).toList();
  }

  /**
   * Sends {@code count} fresh commands one at a time, each after the previous one's job finished,
   * then repeats each once (cache hits), each after the one before was answered: the idle bot's
   * figures, and a warm engine.
   */
  public List<LoadRecord> idle(int count, int steps, int user)
      throws IOException, InterruptedException {
    List<Tracked> sent = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      Tracked t =
          dispatch(new Command(-1 - n, Kind.FLOOD, user), "an idle lighthouse " + n, n + 1, steps);
      sent.add(t);
      awaitFinals(List.of(t));
    }
    for (Tracked first : List.copyOf(sent)) {
      Tracked again =
          dispatch(
              new Command(-1 - sent.size(), Kind.REPEAT, user), first.prompt, first.seed, steps);
      sent.add(again);
      awaitFinals(List.of(again));
    }
    return sent.stream().map(Tracked::record).toList();
  }

  private Tracked send(Command command, int steps, Random pick)
      throws IOException, InterruptedException {
    return switch (command.kind()) {
      case LIGHT ->
          dispatch(command, "a quiet harbour for user " + command.user(), command.user(), steps);
      case FLOOD ->
          dispatch(
              command,
              "a flood of lanterns " + command.index() + " from user " + command.user(),
              command.index(),
              steps);
      case REPEAT -> {
        Tracked original = finishedOne(pick);
        yield dispatch(command, original.prompt, original.seed, steps);
      }
    };
  }

  /** A finished fresh request to repeat, waiting for one if none finished yet. */
  private Tracked finishedOne(Random pick) throws InterruptedException {
    long deadline = System.nanoTime() + stall.toNanos();
    while (true) {
      update();
      synchronized (finished) {
        if (!finished.isEmpty()) {
          return finished.get(pick.nextInt(finished.size()));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no job finished within " + stall + "; is the bot's worker running?");
      }
      Thread.sleep(20);
    }
  }

  private int finishedCount() {
    synchronized (finished) {
      return finished.size();
    }
  }

  /**
   * A final message of {@code t}'s job arrived at {@code atNanos}: the first of a fresh request's
   * makes it one that a repeat may ask for again.
   */
  protected final void finalArrived(Tracked t, long atNanos) {
    boolean first;
    synchronized (t) {
      t.finals.add(atNanos);
      first = t.finals.size() == 1;
    }
    lastFinalNanos = System.nanoTime();
    if (first && t.command.kind() != Kind.REPEAT && t.answer != Answer.CACHED) {
      synchronized (finished) {
        finished.add(t);
      }
    }
  }

  /** Whether nothing more is awaited for {@code t}: its final message, or an answer without one. */
  private boolean settled(Tracked t) {
    return t.hasFinal()
        || t.answer == Answer.REFUSED
        || (t.answer == Answer.NONE && !answersLater());
  }

  private void awaitFinals(List<Tracked> sent) throws InterruptedException {
    lastFinalNanos = System.nanoTime();
    while (true) {
      update();
      if (sent.stream().allMatch(this::settled)
          || System.nanoTime() - lastFinalNanos > stall.toNanos()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
