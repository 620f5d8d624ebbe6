package org.imaginebot.bot.slack;

import java.util.Objects;

/**
 * The Slack app's secrets, from {@code SLACK_BOT_TOKEN} and {@code SLACK_SIGNING_SECRET}; never
 * logged or shown.
 *
 * @param botToken the bot user OAuth token ({@code xoxb-...}) for the Web API
 * @param signingSecret checks that each request comes from Slack
 */
public record SlackLogin(String botToken, String signingSecret) {

  public SlackLogin {
    Objects.requireNonNull(botToken, "botToken");
    Objects.requireNonNull(signingSecret, "signingSecret");
    if (botToken.isBlank() || signingSecret.isBlank()) {
      throw new IllegalArgumentException(
          "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET must both be set");
    }
  }

  @Override
  public String toString() {
    return "SlackLogin[botToken=***, signingSecret=***]";
  }
}
