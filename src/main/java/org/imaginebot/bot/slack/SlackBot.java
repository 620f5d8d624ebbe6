package org.imaginebot.bot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.bot.BotServices;
import org.imaginebot.bot.FollowUps;
import org.imaginebot.bot.JobTimes;
import org.imaginebot.bot.Parent;
import org.imaginebot.incident.Incident;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack adapter: a Bolt app in HTTP mode behind {@link SlackEndpoint}, or in Socket Mode
 * through {@link SlackSocket} when the login has an app token, with {@code /imagine}, its buttons,
 * {@code /imagine-admin}, {@code /imagine-info} and {@code /imagine-prefs} routed to the core's
 * {@link BotServices}. The Web API base URL comes from {@link SlackConfig}, so the whole bot can
 * run against a local fake Slack.
 */
public final class SlackBot implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SlackBot.class);
  private static final String COMMAND = "/imagine";
  private static final String ADMIN_COMMAND = "/imagine-admin";
  private static final String INFO_COMMAND = "/imagine-info";
  private static final String PREFS_COMMAND = "/imagine-prefs";

  /**
   * Threads for replies, final states and other calls; updates that are not final have their own.
   */
  private static final int REPLY_THREADS = 4;

  private static final int UPDATE_THREADS = 2;

  private final Slack slack;
  private final App app;
  private final SlackEndpoint endpoint; // null in Socket Mode
  private final SlackSocket socket; // null in HTTP mode
  private final ScheduledExecutorService scheduler;
  private final ScheduledExecutorService updates;
  private final String botName;

  private SlackBot(
      Slack slack,
      App app,
      SlackEndpoint endpoint,
      SlackSocket socket,
      ScheduledExecutorService scheduler,
      ScheduledExecutorService updates,
      String botName) {
    this.slack = slack;
    this.app = app;
    this.endpoint = endpoint;
    this.socket = socket;
    this.scheduler = scheduler;
    this.updates = updates;
    this.botName = botName;
  }

  /**
   * Checks the bot token ({@code auth.test}), builds the Bolt app and starts it: in Socket Mode
   * when the login has an app token (no port opened), otherwise listening on {@code slack.port}.
   *
   * @throws IllegalStateException when Slack refuses a token or cannot be reached, or the port is
   *     taken; the message says what to do
   */
  public static SlackBot start(SlackLogin login, SlackConfig config, BotServices services) {
    com.slack.api.SlackConfig clientConfig = new com.slack.api.SlackConfig();
    clientConfig.setMethodsEndpointUrlPrefix(config.apiUrl());
    // The SDK's call counters are never read; with them on, it calls auth.test by itself for each
    // new token, the app token too (which auth.test may refuse: an ERROR line per reconnect).
    clientConfig.setStatsEnabled(false);
    Slack slack = Slack.getInstance(clientConfig);
    String botName = authTest(slack, login, config);
    // Replies, final states and every other call; updates that are not final on their own threads,
    // so an image never waits behind the progress of other messages.
    ScheduledExecutorService scheduler = daemons(REPLY_THREADS, "slack-replies-");
    ScheduledExecutorService updates = daemons(UPDATE_THREADS, "slack-updates-");
    try {
      App app =
          new App(
              AppConfig.builder()
                  .slack(slack)
                  .singleTeamBotToken(login.botToken())
                  .signingSecret(login.signingSecret())
                  .build());
      SlackApi api = new SlackApi(slack, login.botToken());
      Moderators moderators = new Moderators(api, config.moderatorIds());
      ImagineCommand imagine =
          new ImagineCommand(
              services.imagine(),
              services.moderation(),
              api,
              scheduler,
              updates,
              config.minUpdateInterval(),
              config.maxUpdatesPerMinute(),
              new JobTimes(Duration.ofSeconds(30), services.gpuConcurrency()),
              moderators,
              services.models(),
              botName,
              services.actionRefs());
      services
          .imagine()
          .onResumed(ImagineCommand.SOURCE, imagine::resumed); // before the workers start
      app.command(COMMAND, guarded(imagine::onCommand));
      app.command(INFO_COMMAND, guarded(imagine::onInfo));
      app.command(PREFS_COMMAND, guarded(new PrefsCommand(services.imagine())::onCommand));
      app.command(
          ADMIN_COMMAND, guarded(new AdminCommand(services.moderation(), moderators)::onCommand));
      app.blockAction(
          ActionIds.REROLL,
          (req, ctx) ->
              imagine.onFollowUp(
                  req,
                  ctx,
                  Parent.Relation.REROLL,
                  (image, maxSteps) ->
                      image.withSeed(ThreadLocalRandom.current().nextLong() >>> 11, false)));
      // A variation keeps the seed and nudges its starting latents: close, not the same.
      app.blockAction(
          ActionIds.VARIATIONS,
          (req, ctx) ->
              imagine.onFollowUp(
                  req,
                  ctx,
                  Parent.Relation.VARIATION,
                  (image, maxSteps) ->
                      image.withVariation(
                          1 + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE - 1))));
      app.blockAction(ActionIds.TIMELAPSE, imagine::onTimelapse);
      app.blockAction(ActionIds.INFO, imagine::onInfo);
      app.blockAction(ActionIds.CANCEL, imagine::onCancel);
      app.blockAction(ActionIds.DELETE, imagine::onDelete);
      app.blockAction(ActionIds.PURGE, imagine::onPurge);
      app.viewSubmission(ImagineModal.CALLBACK_ID, imagine::onFormSubmitted);
      app.blockAction(
          ActionIds.MORE,
          (req, ctx) ->
              imagine.onFollowUp(req, ctx, Parent.Relation.CONTINUATION, FollowUps::continued));
      app.blockAction(
          ActionIds.SHEET,
          (req, ctx) ->
              imagine.onFollowUp(
                  req, ctx, Parent.Relation.SHEET, (image, maxSteps) -> FollowUps.sheet(image)));
      app.blockAction(ActionIds.REPROMPT, imagine::onRepromptButton);
      app.viewSubmission(RepromptModal.CALLBACK_ID, imagine::onRepromptSubmitted);
      for (int n = 1; n <= GenerationRequest.GRID; n++) {
        int candidate = n;
        app.blockAction(
            ActionIds.REFINE + n,
            (req, ctx) ->
                imagine.onFollowUp(
                    req,
                    ctx,
                    Parent.Relation.REFINEMENT,
                    (sheet, maxSteps) -> FollowUps.refine(sheet, candidate, maxSteps)));
        app.blockAction(
            ActionIds.VARY_CANDIDATE + n,
            (req, ctx) ->
                imagine.onFollowUp(
                    req,
                    ctx,
                    Parent.Relation.VARIATION,
                    (sheet, maxSteps) ->
                        FollowUps.vary(
                            sheet,
                            candidate,
                            1 + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE - 1))));
      }
      if (login.usesSocketMode()) {
        SlackSocket socket = SlackSocket.start(app, login.appToken(), config);
        LOG.info("Slack: Socket Mode (app {})", botName);
        return new SlackBot(slack, app, null, socket, scheduler, updates, botName);
      }
      app.start();
      SlackEndpoint endpoint = SlackEndpoint.start(app, config.port(), services.replays());
      LOG.info(
          "Slack: HTTP on port {} at {} (app {})", endpoint.port(), SlackEndpoint.PATH, botName);
      return new SlackBot(slack, app, endpoint, null, scheduler, updates, botName);
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
      updates.shutdownNow();
      throw e;
    }
  }

  private static ScheduledExecutorService daemons(int threads, String prefix) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newScheduledThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, prefix + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * A failure on our side still answers the user, only them, with an incident id that the log holds
   * next to the stack trace; never the exception's own text.
   */
  private static SlashCommandHandler guarded(SlashCommandHandler handler) {
    return (req, ctx) -> {
      try {
        return handler.apply(req, ctx);
      } catch (RuntimeException e) {
        String message =
            Incident.report(LOG, "handling " + req.getPayload().getCommand() + " failed", e)
                .userMessage("handling your command");
        return ctx.ack(r -> r.responseType("ephemeral").text(message));
      }
    };
  }

  /**
   * The bot user's name, or why the token is refused (Bolt would only say "The token is invalid").
   */
  private static String authTest(Slack slack, SlackLogin login, SlackConfig config) {
    AuthTestResponse response;
    try {
      response = slack.methods(login.botToken()).authTest(r -> r);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot reach Slack at "
              + config.apiUrl()
              + " ("
              + e.getMessage()
              + "); check the network, or slack.apiUrl / IMAGINE_SLACK_API_URL",
          e);
    } catch (SlackApiException e) {
      throw refused(
          e.getError() == null ? "HTTP " + e.getResponse().code() : e.getError().getError());
    }
    if (!response.isOk()) {
      throw refused(response.getError());
    }
    return response.getUser();
  }

  private static IllegalStateException refused(String error) {
    return new IllegalStateException(
        "Slack refused SLACK_BOT_TOKEN ("
            + error
            + "): copy the Bot User OAuth Token "
            + "again from the app's OAuth & Permissions page (it starts with xoxb-), and reinstall the app if it was revoked");
  }

  /**
   * The port {@code /slack/events} listens on (the configured one, or the free one chosen for 0).
   *
   * @throws IllegalStateException in Socket Mode, which opens no port
   */
  public int port() {
    if (endpoint == null) {
      throw new IllegalStateException("no HTTP endpoint: the Slack app runs in Socket Mode");
    }
    return endpoint.port();
  }

  /** True when the app is connected over Socket Mode rather than listening on a port. */
  public boolean socketMode() {
    return socket != null;
  }

  /** The bot user's name, as {@code auth.test} gave it. */
  public String botName() {
    return botName;
  }

  @Override
  public void close() {
    try {
      if (socket != null) {
        socket.close(); // stops the app too
      } else {
        endpoint.close();
      }
      app.stop();
    } finally {
      scheduler.shutdownNow();
      updates.shutdownNow();
      try {
        slack.close();
      } catch (Exception e) {
        LOG.debug("closing the Slack client failed", e);
      }
    }
  }
}
