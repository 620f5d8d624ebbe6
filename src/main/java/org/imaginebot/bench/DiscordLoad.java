package org.imaginebot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.bench.LoadPlan.Command;
import org.imaginebot.bench.LoadRecord.Answer;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;

/**
 * A {@link LoadDriver} for Discord: each command is an {@code /imagine} interaction the {@link
 * FakeDiscord} dispatches to the bot; what it got back is read from the fake's recorded calls: the
 * callback (deferred, cached image, refusal) and every final message of its job (the deferred reply
 * edited to the finished image), each found by the interaction's token. Users are simulated by the
 * fake; everything else is the real bot.
 */
public final class DiscordLoad extends LoadDriver {

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

  private final Duration stall;
  private final FakeDiscord fake;
  private final Map<String, Tracked> byToken = new HashMap<>();
  private int cursor;

  public DiscordLoad(FakeDiscord fake, Duration stall, Consumer<String> log) {
    super(stall, log);
    this.fake = fake;
    this.stall = stall;
  }

  /**
   * Sends {@code load}'s commands, calling {@code before} ahead of each (see {@link LoadDriver}).
   */
  public List<LoadRecord> run(ChatLoad load, BeforeCommand before)
      throws IOException, InterruptedException {
    return run(load, index -> before.before(index, fake));
  }

  @Override
  public ObjectNode figures(List<LoadRecord> records) {
    return LoadFigures.of(records, fake.calls());
  }

  @Override
  protected boolean answersLater() {
    return true; // the callback comes over REST, after the gateway event
  }

  @Override
  protected Tracked dispatch(Command command, String prompt, long seed, int steps) {
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
            Instant.now());
    Interaction interaction = dispatchWhenConnected(slash);
    Tracked tracked = new Tracked(command, prompt, seed, interaction.dispatchedAtNanos());
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

  @Override
  protected synchronized void update() {
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
            finalArrived(t, call.atNanos()); // the image is the callback itself
          }
        }
      } else if (call.method().equals("PATCH")
          && call.status() == 200
          && (m = ORIGINAL.matcher(call.path())).matches()) {
        Tracked t = byToken.get(m.group(1));
        if (t != null && isFinal(call)) {
          finalArrived(t, call.atNanos());
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
}
