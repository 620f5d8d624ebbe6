package org.imaginebot.bench;

import java.util.Map;
import java.util.function.Consumer;
import org.imaginebot.bench.fake.slack.FakeSlack;

/**
 * The faults {@code bench faults --platform slack} injects into the fake Slack while a load runs,
 * each at a fixed share of the commands sent: 429s with {@code Retry-After} on {@code chat.update}
 * (progress and final messages), on the next final ones (the finished image, {@code ✅ ...}) and on
 * {@code chat.postMessage} (a job's first message).
 */
public final class SlackFaults implements SlackLoad.BeforeCommand {

  /** How many calls each 429 burst limits. */
  static final int LIMITED_CALLS = 3;

  /** The Retry-After of each 429. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final Injections injections;

  public SlackFaults(int commands, Consumer<String> log) {
    this.injections = new Injections(commands, log);
  }

  @Override
  public void before(int index, FakeSlack fake) {
    if (at(index, 0.15) || at(index, 0.55) || at(index, 0.85)) {
      fake.rateLimit("chat.update", LIMITED_CALLS, RETRY_AFTER_SECONDS);
      count("slack_429_updates", LIMITED_CALLS);
    }
    if (at(index, 0.45)) {
      fake.rateLimit("chat.update", "✅", LIMITED_CALLS, RETRY_AFTER_SECONDS);
      count("slack_429_final_updates", LIMITED_CALLS);
    }
    if (at(index, 0.35) || at(index, 0.70)) {
      fake.rateLimit("chat.postMessage", LIMITED_CALLS, RETRY_AFTER_SECONDS);
      count("slack_429_posts", LIMITED_CALLS);
    }
  }

  /** What was injected so far, by kind. */
  public Map<String, Integer> injected() {
    return injections.injected();
  }

  private boolean at(int index, double share) {
    return injections.at(index, share);
  }

  private void count(String kind, int n) {
    injections.count(kind, n);
  }
}
