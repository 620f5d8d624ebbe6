package org.imaginebot.bot.slack;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code slack} section. The secrets are not here: they come only from {@code SLACK_BOT_TOKEN},
 * {@code SLACK_SIGNING_SECRET} and {@code SLACK_APP_TOKEN} ({@link SlackLogin}).
 *
 * @param port where the HTTP endpoint {@code /slack/events} listens (0 = any free port, for tests);
 *     unused in Socket Mode
 * @param apiUrl Web API base URL ending in {@code /}; another value runs the bot against a local
 *     fake (Socket Mode's {@code apps.connections.open} included)
 * @param minUpdateInterval least time between two updates of one message (chat.update is rate tier
 *     3)
 * @param maxUpdatesPerMinute updates that are not final (queue position, progress) of all the
 *     messages of one workspace in any rolling minute; over it each message waits its turn and
 *     shows its newest state (Slack's tier 3 for chat.update is about 50 per minute per workspace)
 * @param moderators user ids allowed to cancel anyone's job, comma-separated; {@code none} or empty
 *     for none
 */
public record SlackConfig(
    int port,
    String apiUrl,
    Duration minUpdateInterval,
    int maxUpdatesPerMinute,
    String moderators) {

  public SlackConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "slack.port must be from 0 to 65535, such as 3000, got " + port);
    }
    if (apiUrl == null
        || !(apiUrl.startsWith("http://") || apiUrl.startsWith("https://"))
        || !apiUrl.endsWith("/")) {
      throw new IllegalArgumentException(
          "slack.apiUrl must be an http(s) URL ending in '/', such as https://slack.com/api/, got "
              + apiUrl);
    }
    if (minUpdateInterval == null
        || minUpdateInterval.isNegative()
        || minUpdateInterval.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException(
          "slack.minUpdateInterval must be a duration from PT0S to PT60S such as PT3S, got "
              + minUpdateInterval);
    }
    if (maxUpdatesPerMinute <= 0) {
      throw new IllegalArgumentException(
          "slack.maxUpdatesPerMinute must be more than 0, such as 45 (Slack's chat.update allows"
              + " about 50 per minute per workspace), got "
              + maxUpdatesPerMinute);
    }
    if (moderators == null
        || !moderators.strip().matches("(?i)|none|[A-Z0-9]+(\\s*,\\s*[A-Z0-9]+)*")) {
      throw new IllegalArgumentException(
          "slack.moderators must be 'none' or comma-separated Slack user ids such as U012AB3CD, got "
              + moderators);
    }
  }

  /** The moderators' user ids; empty for {@code none}. */
  public Set<String> moderatorIds() {
    String list = moderators.strip();
    return list.isEmpty() || list.equalsIgnoreCase("none")
        ? Set.of()
        : Arrays.stream(list.split(",")).map(String::strip).collect(Collectors.toUnmodifiableSet());
  }
}
