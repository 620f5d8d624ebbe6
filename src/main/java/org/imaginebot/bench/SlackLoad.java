package org.imaginebot.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.bench.LoadPlan.Command;
import org.imaginebot.bench.LoadRecord.Answer;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;

/**
 * A {@link LoadDriver} for Slack: each command is a signed {@code /imagine} slash command posted to
 * the bot's Slack endpoint; its answer is the HTTP ack (200: admitted, or an ephemeral refusal).
 * Its final message is read from the calls the {@link FakeSlack} recorded: a message Slack accepted
 * whose text shows the finished image ({@code ✅ <prompt> (seed ...)}): a job's, updated with {@code
 * chat.update} once its image is in the thread; a cached one's, posted with {@code
 * chat.postMessage} and final once its image was uploaded into its thread. A message is matched to
 * the oldest command of its prompt still waiting for one (fresh prompts are the command's own; the
 * repeats of one prompt are answered in the order they were sent); a second final message for a
 * command is a duplicate.
 */
public final class SlackLoad extends LoadDriver {

  /** Something to do before a command is sent, e.g. inject a fault. */
  @FunctionalInterface
  public interface BeforeCommand {
    void before(int index, FakeSlack fake);
  }

  /** A finished image's message: its prompt, then the facts. */
  private static final Pattern FINAL = Pattern.compile("^✅ (.+?) \\(seed \\d+ · ");

  /** The facts of an image that came from the cache. */
  private static final String CACHED = " · cached)";

  /** Slack's rate tier 3 (chat.update): about this many calls per minute per workspace. */
  public static final int TIER_3_PER_MINUTE = 50;

  private final FakeSlack fake;
  private final int port;
  private final Map<String, List<Tracked>> byPrompt = new HashMap<>();
  private final Map<String, Tracked> byMessage = new HashMap<>(); // channel/ts -> its command
  private final Map<String, Deque<Awaiting>> awaitingUpload = new HashMap<>(); // channel/ts
  private int cursor;

  /** A final message posted, its image not yet in its thread. */
  private record Awaiting(Tracked command, boolean cached) {}

  /**
   * @param port the bot's Slack HTTP endpoint
   * @param stall no new final message for this long after the last command: the rest are lost
   */
  public SlackLoad(FakeSlack fake, int port, Duration stall, Consumer<String> log) {
    super(stall, log);
    this.fake = fake;
    this.port = port;
  }

  /**
   * Sends {@code load}'s commands, calling {@code before} ahead of each (see {@link LoadDriver}).
   */
  public List<LoadRecord> run(ChatLoad load, BeforeCommand before)
      throws IOException, InterruptedException {
    return run(load, index -> before.before(index, fake));
  }

  /** Sends one command and waits for its image: a warm engine before the run. */
  public LoadRecord warmUp(int steps) throws IOException, InterruptedException {
    return idle(1, steps, 0).get(0);
  }

  @Override
  protected boolean answersLater() {
    return false; // the ack is the answer to the POST itself
  }

  @Override
  protected Tracked dispatch(Command command, String prompt, long seed, int steps)
      throws IOException, InterruptedException {
    Tracked t = new Tracked(command, prompt, seed, System.nanoTime());
    synchronized (this) {
      byPrompt.computeIfAbsent(prompt, p -> new ArrayList<>()).add(t);
    }
    // a response_url of its own, as Slack gives each command: no two bodies alike, so a repeat
    // sent within the same second is no replay to the bot
    HttpResponse<String> ack =
        fake.post(
            port,
            FakeSlack.slashCommand(
                userId(command.user()),
                "/imagine",
                prompt + " --steps " + steps + " --seed " + seed,
                FakeSlack.CHANNEL_ID,
                fake.responseUrl()));
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

  @Override
  protected synchronized void update() {
    List<ApiCall> calls = fake.calls();
    for (; cursor < calls.size(); cursor++) {
      ApiCall call = calls.get(cursor);
      if (isFinal(call)) {
        finalMessage(call);
      } else if (call.method().equals("files.completeUploadExternal")
          && call.param("fake_answer") == null
          && call.param("thread_ts") != null) {
        Deque<Awaiting> waiting =
            awaitingUpload.get(call.param("channel_id") + "/" + call.param("thread_ts"));
        Awaiting posted = waiting == null ? null : waiting.poll();
        if (posted != null) {
          delivered(posted.command(), posted.cached(), call.atNanos());
        }
      }
    }
  }

  /** A final message: a job's at once, a cached image's once its image is in the thread. */
  private void finalMessage(ApiCall call) {
    String message = call.param("channel") + "/" + call.param("ts");
    if (byMessage.containsKey(message)) {
      return; // the same message again (a retried update): one message for its user
    }
    Matcher m = FINAL.matcher(call.param("text"));
    List<Tracked> ofPrompt = m.find() ? byPrompt.get(m.group(1)) : null;
    if (ofPrompt == null) {
      return; // not one of this run's commands
    }
    Tracked t =
        ofPrompt.stream()
            .filter(c -> !byMessage.containsValue(c))
            .findFirst()
            .orElse(ofPrompt.get(ofPrompt.size() - 1)); // a second message: a duplicate
    byMessage.put(message, t);
    boolean cached = call.param("text").contains(CACHED);
    if (call.method().equals("chat.postMessage")) { // a cached image, or a job done before its post
      awaitingUpload.computeIfAbsent(message, k -> new ArrayDeque<>()).add(new Awaiting(t, cached));
    } else {
      delivered(t, cached, call.atNanos());
    }
  }

  private void delivered(Tracked t, boolean cached, long atNanos) {
    if (cached && t.answer == Answer.ADMITTED) {
      t.answer = Answer.CACHED;
    }
    finalArrived(t, atNanos);
  }

  /** A message Slack accepted whose text shows the finished image. */
  static boolean isFinal(ApiCall call) {
    return (call.method().equals("chat.update") || call.method().equals("chat.postMessage"))
        && call.param("fake_answer") == null
        && call.param("text") != null
        && call.param("text").startsWith("✅ ");
  }

  @Override
  public ObjectNode figures(List<LoadRecord> records) {
    List<ApiCall> calls = fake.calls();
    Map<String, List<Long>> updates = new HashMap<>();
    List<Long> allUpdates = new ArrayList<>();
    for (ApiCall call : calls) {
      if (call.method().equals("chat.update")) {
        updates
            .computeIfAbsent(call.param("channel") + "/" + call.param("ts"), k -> new ArrayList<>())
            .add(call.atNanos());
        allUpdates.add(call.atNanos());
      }
    }
    long limited = calls.stream().filter(c -> "429".equals(c.param("fake_answer"))).count();
    ObjectNode json =
        LoadFigures.of(
            records,
            new ChatCalls(
                LoadFigures.maxInWindow(updates.values(), LoadFigures.EDIT_WINDOW), limited));
    // Slack's own limit on chat.update is per workspace (tier 3); the fake does not enforce it.
    json.put(
        "max_updates_per_min_workspace",
        LoadFigures.maxInWindow(List.of(allUpdates), Duration.ofMinutes(1)));
    json.put("slack_tier3_per_min", TIER_3_PER_MINUTE);
    return json;
  }
}
