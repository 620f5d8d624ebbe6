package org.imaginebot.bot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import com.slack.api.socket_mode.SocketModeClient;
import java.io.IOException;
import org.imaginebot.incident.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode, used instead of {@link SlackEndpoint} when {@code SLACK_APP_TOKEN} is set: Bolt's
 * {@link SocketModeApp} opens a WebSocket to Slack and runs the same {@link App} on each envelope
 * (slash command, button, form), acking it on the socket. The {@code wss} URL comes from {@code
 * apps.connections.open} on the app's {@link Slack} client, i.e. on {@code slack.apiUrl}, so tests
 * run it against a local fake. Slack does not sign envelopes: the app token is the credential.
 */
final class SlackSocket implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SlackSocket.class);

  /** Envelopes handled at once, as many as {@link SlackEndpoint}'s HTTP threads. */
  private static final int CONCURRENCY = 4;

  private final SocketModeApp socketModeApp;

  private SlackSocket(SocketModeApp socketModeApp) {
    this.socketModeApp = socketModeApp;
  }

  /**
   * Starts {@code app} (handlers registered) and connects it to Slack over Socket Mode. Returns
   * once Slack issued the WebSocket URL and the connection is under way; the client reconnects by
   * itself when it drops.
   *
   * @throws IllegalStateException when Slack refuses the app token or cannot be reached; the
   *     message says what to do and never holds the token
   */
  static SlackSocket start(App app, String appToken, SlackConfig config) {
    SocketModeApp socketModeApp = null;
    try {
      // Java-WebSocket rather than Bolt's default Tyrus: see pom.xml.
      socketModeApp =
          new SocketModeApp(
              appToken,
              SocketModeClient.Backend.JavaWebSocket,
              SlackSocket::failed,
              app,
              CONCURRENCY);
      socketModeApp.startAsync();
      return new SlackSocket(socketModeApp);
    } catch (Exception e) {
      if (socketModeApp != null) {
        new SlackSocket(socketModeApp).close();
      }
      throw whyNotStarted(app.slack(), appToken, config, e);
    }
  }

  /**
   * A handler threw (slash commands are answered by {@code SlackBot.guarded} first): logged with an
   * incident id; no ack, so Slack shows the user that the app did not respond, as for HTTP 500.
   */
  private static Response failed(SocketModeApp.ErrorContext context) {
    Incident.report(LOG, "handling a Slack Socket Mode envelope failed", context.getException());
    return null;
  }

  /**
   * Bolt says why Socket Mode did not start only in an exception's text (a refused token), or not
   * at all (an HTTP error: its client factory logs and returns null, then it fails on null). So on
   * failure, one more {@code apps.connections.open} finds the reason.
   */
  private static IllegalStateException whyNotStarted(
      Slack slack, String appToken, SlackConfig config, Exception cause) {
    AppsConnectionsOpenResponse response;
    try {
      response = slack.methods().appsConnectionsOpen(r -> r.token(appToken));
    } catch (IOException e) {
      return new IllegalStateException(
          "cannot reach Slack at "
              + config.apiUrl()
              + " for Socket Mode ("
              + e.getMessage()
              + "); check the network, or slack.apiUrl / IMAGINE_SLACK_API_URL",
          e);
    } catch (SlackApiException e) {
      if (e.getResponse().code() == 429) {
        return new IllegalStateException(
            "Slack is rate-limiting Socket Mode connections (apps.connections.open answered HTTP"
                + " 429): wait a minute and start again",
            e);
      }
      return refused(
          e.getError() == null ? "HTTP " + e.getResponse().code() : e.getError().getError());
    }
    if (!response.isOk()) {
      return refused(response.getError());
    }
    return new IllegalStateException(
        "Socket Mode did not start ("
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
            + "); Slack accepts SLACK_APP_TOKEN now, so start again",
        cause);
  }

  private static IllegalStateException refused(String error) {
    return new IllegalStateException(
        "Slack refused SLACK_APP_TOKEN ("
            + error
            + "): check SLACK_APP_TOKEN, an app-level token (xapp-...) with the connections:write"
            + " scope from the app's Basic Information > App-Level Tokens, and that Socket Mode is"
            + " enabled in the app's settings");
  }

  /** Disconnects and stops the app, its envelope threads and the client's own threads. */
  @Override
  public void close() {
    // SocketModeApp.close() disconnects but leaves the client's executors running; close both.
    SocketModeClient client = socketModeApp.getClient();
    try {
      socketModeApp.close();
    } catch (Exception e) {
      LOG.debug("stopping Socket Mode failed", e);
    } finally {
      if (client != null) {
        try {
          client.close();
        } catch (IOException e) {
          LOG.debug("closing the Socket Mode client failed", e);
        }
      }
    }
  }
}
