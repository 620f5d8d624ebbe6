package org.imaginebot.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.bench.LoadPlan.Command;
import org.imaginebot.bench.LoadPlan.Kind;
import org.imaginebot.bench.LoadRecord.Answer;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;

/**
 * Sends a {@link LoadPlan} as signed {@code /imagine} slash commands to a bot's Slack endpoint, at
 * the plan's rate, and records what each got back from the {@link FakeSlack} the bot talks to: the
 * acknowledgement (admitted, or an ephemeral refusal) and every final message of its job (a message
 * posted or updated to {@code ✅ <prompt> (seed ...)} that Slack accepted). Each command asks for a
 * prompt of its own, so no answer comes from the cache and every final message names its command.
 */
public final class SlackLoad {

  /** Something to do before a command is sent, e.g. inject a fault. */
  @FunctionalInterface
  public interface BeforeCommand {
    void before(int index, FakeSlack fake);
  }

  /** A finished image's message: its prompt, then the facts. */
  private static final Pattern FINAL = Pattern.compile("^✅ (.+?) \\(seed \\d+ · ");

  private final FakeSlack fake;
  private final int port;
  private final Duration stall;
  private final Consumer<String> log;
  private final Map<String, Tracked> byPrompt = new HashMap<>();
  private int cursor;
  private long lastFinalNanos;

  /** One command while the run goes on. */
  private static final class Tracked {
    final Command command;
    final long sentNanos;
    Answer answer = Answer.NONE;
    long answeredNanos;
    final List<Long> finals = new ArrayList<>();

    Tracked(Command command, long sentNanos) {
      this.command = command;
      this.sentNanos = sentNanos;
    }

    LoadRecord record() {
      return new LoadRecord(command, sentNanos, answer, answeredNanos, finals);
    }
  }

  /**
   * @param port the bot's Slack HTTP endpoint
   * @param stall no new final message for this long after the last command: the rest are lost
   */
  public SlackLoad(FakeSlack fake, int port, Duration stall, Consumer<String> log) {
    this.fake = fake;
    this.port = port;
    this.stall = stall;
    this.log = log;
  }

  /**
   * Sends {@code load}'s commands (calling {@code before} ahead of each), waits until every
   * admitted job has its final message or none came for the stall time, and returns what each
   * command got. The load's repeats are sent as fresh prompts too.
   */
  public List<LoadRecord> run(ChatLoad load, BeforeCommand before)
      throws IOException, InterruptedException {
    List<Command> plan = LoadPlan.of(load);
    List<Tracked> sent = new ArrayList<>(plan.size());
    long start = System.nanoTime();
    long intervalNanos = (long) (1e9 / load.perSecond());
    for (Command command : plan) {
      before.before(command.index(), fake);
      sleepUntil(start + command.index() * intervalNanos);
      sent.add(send(command, load.steps()));
      if ((command.index() + 1) % 100 == 0) {
        log.accept(
            String.format("load: %d of %d slash commands sent", command.index() + 1, plan.size()));
      }
    }
    awaitFinals(sent);
    return sent.stream().map(Tracked::record).toList();
  }

  /** Sends one command and waits for its image: a warm engine before the run. */
  public LoadRecord warmUp(int steps) throws IOException, InterruptedException {
    Tracked t = send(new Command(-1, Kind.LIGHT, 0), steps);
    awaitFinals(List.of(t));
    return t.record();
  }

  private Tracked send(Command command, int steps) throws IOException, InterruptedException {
    String prompt =
        String.format(
            "a %s lantern number %04d from user %d",
            command.kind().name().toLowerCase(java.util.Locale.ROOT),
            command.index() + 1,
            command.user());
    long seed = command.index() + 2L;
    Tracked t = new Tracked(command, System.nanoTime());
    synchronized (this) {
      byPrompt.put(prompt, t);
    }
    HttpResponse<String> ack =
        fake.post(
            port,
            FakeSlack.slashCommand(
                userId(command.user()),
                "/imagine",
                prompt + " --steps " + steps + " --seed " + seed));
    t.answeredNanos = System.nanoTime();
    if (ack.statusCode() == 200) {
      t.answer = ack.body().contains("ephemeral") ? Answer.REFUSED : Answer.ADMITTED;
    }
    return t;
  }

  /** The user's Slack id. */
  static String userId(int user) {
    return String.format("U%07d", user + 1);
  }

  private void awaitFinals(List<Tracked> sent) throws InterruptedException {
    lastFinalNanos = System.nanoTime();
    while (true) {
      update();
      boolean done =
          sent.stream().allMatch(t -> t.answer != Answer.ADMITTED || !t.finals.isEmpty());
      if (done || System.nanoTime() - lastFinalNanos > stall.toNanos()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  /** Reads the calls the fake recorded since the last update. */
  private synchronized void update() {
    List<ApiCall> calls = fake.calls();
    for (; cursor < calls.size(); cursor++) {
      ApiCall call = calls.get(cursor);
      if (isFinal(call)) {
        Matcher m = FINAL.matcher(call.param("text"));
        Tracked t = m.find() ? byPrompt.get(m.group(1)) : null;
        if (t != null) {
          t.finals.add(call.atNanos());
          lastFinalNanos = System.nanoTime();
        }
      }
    }
  }

  /** A message Slack accepted whose text shows the finished image. */
  static boolean isFinal(ApiCall call) {
    return (call.method().equals("chat.update") || call.method().equals("chat.postMessage"))
        && call.param("fake_answer") == null
        && call.param("text") != null
        && call.param("text").startsWith("✅ ");
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
