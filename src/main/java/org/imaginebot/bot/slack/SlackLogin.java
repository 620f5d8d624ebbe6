package org.imaginebot.bot.slack;

/**
 * The Slack app's secrets, from {@code SLACK_BOT_TOKEN}, {@code SLACK_SIGNING_SECRET} and {@code
 * SLACK_APP_TOKEN}; never logged or shown. With an app token the bot runs in Socket Mode (a
 * WebSocket it opens to Slack, no public endpoint), where Slack signs nothing, so the signing
 * secret is not needed; without one it runs in HTTP mode, which needs the signing secret.
 *
 * @param botToken the bot user OAuth token ({@code xoxb-...}) for the Web API; required
 * @param signingSecret checks that each HTTP request comes from Slack; null when not set (Socket
 *     Mode only)
 * @param appToken the app-level token ({@code xapp-...}, scope {@code connections:write}) that
 *     opens Socket Mode connections; null for HTTP mode
 */
public record SlackLogin(String botToken, String signingSecret, String appToken) {

  public SlackLogin {
    botToken = blankToNull(botToken);
    signingSecret = blankToNull(signingSecret);
    appToken = blankToNull(appToken);
    if (botToken == null) {
      throw new IllegalArgumentException(
          "SLACK_BOT_TOKEN must be set: the Bot User OAuth Token (xoxb-...) from the app's OAuth &"
              + " Permissions page");
    }
    if (appToken == null && signingSecret == null) {
      throw new IllegalArgumentException(
          "set SLACK_APP_TOKEN (xapp-..., for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode)"
              + " besides SLACK_BOT_TOKEN; both are on the app's Basic Information page");
    }
    if (appToken != null && !appToken.startsWith("xapp-")) {
      throw new IllegalArgumentException(
          "SLACK_APP_TOKEN must be an app-level token starting with xapp-: Basic Information >"
              + " App-Level Tokens, with the connections:write scope");
    }
  }

  /** HTTP mode: a bot token and a signing secret. */
  public SlackLogin(String botToken, String signingSecret) {
    this(botToken, signingSecret, null);
  }

  /** Socket Mode: a bot token and an app-level token; no signing secret needed. */
  public static SlackLogin socketMode(String botToken, String appToken) {
    return new SlackLogin(botToken, null, appToken);
  }

  /** True when the bot connects to Slack over Socket Mode rather than listening for HTTP. */
  public boolean usesSocketMode() {
    return appToken != null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public String toString() {
    return "SlackLogin[botToken=***, signingSecret="
        + (signingSecret == null ? "none" : "***")
        + ", appToken="
        + (appToken == null ? "none" : "***")
        + "]";
  }
}
