package org.imaginebot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.bench.LoadPlan.Command;
import org.imaginebot.bench.LoadPlan.Kind;
import org.imaginebot.bench.LoadRecord.Answer;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;

/**
 * Sends a {@link LoadPlan} as {@code /imagine} interactions through a {@link FakeDiscord} that a
 * running bot is connected to, at the plan's rate, and records what each got back: the callback
 * (deferred, cached image, refusal) and every final message of its job. Users are simulated by the
 * fake; everything else is the real bot.
 */
public final class DiscordLoad {

  /** Something to do before a command is sent, e.g. inject a fault. */
  @FunctionalInterface
  public interface BeforeCommand {
    void before(int index, FakeDiscord fake);
  }

  private static final int DEFERRED = 5;
  private static final int MESSAGE = 4;
  private static final int EPHEMERAL = 1 << 6;
  private static final Pattern CALLBACK = Pattern.compile("interactions/\\d+/([^/]+)/callback");
  private static final Pattern ORIGINAL =
      Pattern.compile("webhooks/\\d+/([^/]+)/messages/@original");

  /** No new final message for this long after the last command: the rest are lost. */
  private final Duration stall;

  private final FakeDiscord fake;
  private final Consumer<String> log;
  private final Map<String, Tracked> byToken = new HashMap<>();
  private final List<Tracked> finished = new ArrayList<>();
  private int cursor;
  private long lastFinalNanos;

  /** One command while the run goes on. */
  private static final class Tracked {
    final Command command;
    final Interaction interaction;
    final String prompt;
    final long seed;
    Answer answer = Answer.NONE;
    long answeredNanos;
    final List<Long> finals = new ArrayList<>();

    Tracked(Command command, Interaction interaction, String prompt, long seed) {
      this.command = command;
      this.interaction = interaction;
      this.prompt = prompt;
      this.seed = seed;
    }

    LoadRecord record() {
      return new LoadRecord(
          command, interaction.dispatchedAtNanos(), answer, answeredNanos, finals);
    }
  }

  public DiscordLoad(FakeDiscord fake, Duration stall, Consumer<String> log) {
    this.fake = fake;
    this.stall = stall;
    this.log = log;
  }

  /**
   * Sends {@code load}'s commands (calling {@code before} ahead of each), waits until every
   * admitted job has its final message or none came for the stall time, and returns what each
   * command got.
   */
  public List<LoadRecord> run(ChatLoad load, BeforeCommand before) throws InterruptedException {
    List<Command> plan = LoadPlan.of(load);
    Random pick = new Random(load.seed() ^ 0x5DEECE66DL);
    List<Tracked> sent = new ArrayList<>(plan.size());
    long start = System.nanoTime();
    long intervalNanos = (long) (1e9 / load.perSecond());
    for (Command command : plan) {
      before.before(command.index(), fake);
      sleepUntil(start + command.index() * intervalNanos);
      update();
      sent.add(send(command, load.steps(), pick));
      if ((command.index() + 1) % 100 == 0) {
        log.accept(
            String.format(
                "load: %d of %d commands sent, %d finished",
                command.index() + 1, plan.size(), finished.size()));
      }
    }
    awaitFinals(sent);
    return sent.stream().map(Tracked::record).toList();
  }

  /**
   * Sends {@code count} fresh commands one at a time, each after the previous one's job finished,
   * then repeats each once (cache hits): the idle bot's figures, and a warm engine.
   */
  public List<LoadRecord> idle(int count, int steps, int user) throws InterruptedException {
    List<Tracked> sent = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      Tracked t =
          dispatch(new Command(-1 - n, Kind.FLOOD, user), "an idle lighthouse " + n, n + 1, steps);
      sent.add(t);
      awaitFinals(List.of(t));
    }
    List<Tracked> firsts = List.copyOf(sent);
    for (Tracked first : firsts) {
      Tracked again =
          dispatch(
              new Command(-1 - sent.size(), Kind.REPEAT, user), first.prompt, first.seed, steps);
      sent.add(again);
      long deadline = System.nanoTime() + stall.toNanos();
      while (again.answer == Answer.NONE && System.nanoTime() < deadline) {
        update();
        Thread.sleep(2);
      }
    }
    return sent.stream().map(Tracked::record).toList();
  }

  private Tracked send(Command command, int steps, Random pick) throws InterruptedException {
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
    while (finished.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no job finished within " + stall + "; is the bot's worker running?");
      }
      Thread.sleep(20);
      update();
    }
    return finished.get(pick.nextInt(finished.size()));
  }

  private Tracked dispatch(Command command, String prompt, long seed, int steps)
      throws InterruptedException {
    SlashCommand slash =
        new SlashCommand(
            FakeDiscord.GUILD_ID,
            FakeDiscord.CHANNEL_ID,
            userId(command.user()),
            "user" + command.user(),
            0L,
            "imagine",
            List.of(
                CommandOption.string("prompt", prompt),
                CommandOption.integer("steps", steps),
                CommandOption.integer("seed", seed)),
            java.time.Instant.now());
    Interaction interaction = dispatchWhenConnected(slash);
    Tracked tracked = new Tracked(command, interaction, prompt, seed);
    synchronized (this) {
      byToken.put(interaction.token(), tracked);
    }
    return tracked;
  }

  /**
   * Dispatches, or while the gateway is down (dropped by a fault) waits for the bot to resume and
   * then dispatches: a user whose command could not reach the bot tries again.
   */
  private Interaction dispatchWhenConnected(SlashCommand slash) {
    long deadline = System.nanoTime() + stall.toNanos();
    while (true) {
      try {
        return fake.slashCommand(slash);
      } catch (IllegalStateException notConnected) {
        if (System.nanoTime() > deadline) {
          throw notConnected;
        }
        fake.awaitReady(stall);
      }
    }
  }

  /** The user's Discord id: a snowflake per user index. */
  static String userId(int user) {
    return String.format("14%017d", user + 1);
  }

  private void awaitFinals(List<Tracked> sent) throws InterruptedException {
    lastFinalNanos = System.nanoTime();
    while (true) {
      update();
      boolean done =
          sent.stream()
              .allMatch(
                  t ->
                      (t.answer != Answer.NONE && t.answer != Answer.ADMITTED)
                          || !t.finals.isEmpty());
      if (done || System.nanoTime() - lastFinalNanos > stall.toNanos()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  /** Reads the calls the fake recorded since the last update. */
  private synchronized void update() {
    List<RestCall> calls = fake.calls();
    for (; cursor < calls.size(); cursor++) {
      RestCall call = calls.get(cursor);
      Matcher m;
      if (call.method().equals("POST") && (m = CALLBACK.matcher(call.path())).matches()) {
        Tracked t = byToken.get(m.group(1));
        if (t != null && call.status() / 100 == 2 && t.answer == Answer.NONE) {
          t.answeredNanos = call.atNanos();
          t.answer = answer(call);
          if (t.answer == Answer.CACHED) {
            t.finals.add(call.atNanos());
          }
        }
      } else if (call.method().equals("PATCH")
          && call.status() == 200
          && (m = ORIGINAL.matcher(call.path())).matches()) {
        Tracked t = byToken.get(m.group(1));
        if (t != null && isFinal(call)) {
          t.finals.add(call.atNanos());
          lastFinalNanos = System.nanoTime();
          if (t.finals.size() == 1 && t.command.kind() != Kind.REPEAT) {
            finished.add(t);
          }
        }
      }
    }
  }

  private static Answer answer(RestCall callback) {
    JsonNode body = callback.json();
    int type = body.path("type").asInt();
    if (type == DEFERRED) {
      return Answer.ADMITTED;
    }
    boolean ephemeral = (body.path("data").path("flags").asInt() & EPHEMERAL) != 0;
    return type == MESSAGE && !ephemeral && !callback.files().isEmpty()
        ? Answer.CACHED
        : Answer.REFUSED;
  }

  /** The finished image: its message carries the Re-roll button. */
  private static boolean isFinal(RestCall edit) {
    return edit.json().toString().contains(DiscordFaults.FINAL_MARK);
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
