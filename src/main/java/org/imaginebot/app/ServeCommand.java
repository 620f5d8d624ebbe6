package org.imaginebot.app;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.imaginebot.bot.discord.DiscordLogin;
import org.imaginebot.bot.slack.SlackLogin;
import org.imaginebot.db.Database;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.metrics.ComponentHealth;
import org.imaginebot.metrics.HealthIndicator;
import org.imaginebot.metrics.MetricsServer;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.worker.LazyEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code serve}: runs the bot until stopped: the core (queue, workers, limits, settings, cache) and
 * the {@code /metrics} and {@code /health} endpoint. Chat adapters attach here.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the bot: job queue, GPU worker, live settings and the /metrics and /health endpoint,",
      "until stopped (Ctrl-C or SIGTERM; jobs cut off run again on the next start)."
    })
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      hidden = true,
      description = "Stop after this ISO-8601 duration (smoke tests).")
  Duration runFor;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      defaultValue = "all",
      description = {
        "all (default): the whole bot in this process;",
        "bot: chat adapters and admission, no engine; worker: the engine only, no chat platform.",
        "bot and worker share the queue through Redis (redis.url) and PostgreSQL (queue.database)."
      })
  String roleName;

  @Mixin ConfigOptions configOptions;

  private final Map<String, String> env;
  private final PrintStream stdout;

  ServeCommand(Map<String, String> env, PrintStream stdout) {
    this.env = env;
    this.stdout = stdout;
  }

  @Override
  public Integer call() throws InterruptedException {
    AppConfig config = configOptions.load(env, Map.of());
    Role role = Role.parse(roleName);
    requireRedis(config, role);
    // a bad DISCORD_GUILD_ID fails before anything starts; a worker talks to no chat platform
    DiscordLogin discord = role.runsChat() ? discordLogin() : null;
    SlackLogin slack = role.runsChat() ? slackLogin() : null;
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    BotMetrics metrics = new BotMetrics();
    LazyEngine engine = BotApplication.engine(config, manifest);
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    try (BotApplication app =
            BotApplication.open(config, manifest, engine, metrics, Clock.systemUTC(), role);
        MetricsServer server =
            MetricsServer.start(
                config.server().host(), config.server().port(), metrics, indicators(app, engine))) {
      // On SIGTERM the JVM exits once the hooks return: hold it until the core is closed cleanly.
      Thread hook =
          new Thread(
              () -> {
                stopped.countDown();
                awaitQuietly(closed, Duration.ofSeconds(45));
              },
              "serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      stdout.printf(
          Locale.ROOT,
          "imagine-bot serving (role %s%s): metrics %s, health %s; %d jobs resumed from the last"
              + " run%n",
          role.name().toLowerCase(Locale.ROOT),
          app.redis()
              .map(r -> ", queue on " + r.config().redactedUrl() + " as node " + r.config().node())
              .orElse(""),
          server.baseUri().resolve("/metrics"),
          server.baseUri().resolve("/health"),
          app.resumedJobs());
      app.startServing(
          discord,
          slack,
          Clock.systemUTC()); // adapters, then workers: resumed jobs find who delivers them
      if (!role.runsChat()) {
        stdout.println("Worker: taking jobs from the shared queue; no chat platform");
        awaitStop(stopped, hook);
        return ExitCodes.OK;
      }
      stdout.println(
          app.discord()
              .map(bot -> "Discord: " + bot.summary())
              .orElse("Discord: off (set DISCORD_TOKEN to start it)"));
      stdout.println(
          app.slack()
              .map(
                  bot ->
                      bot.socketMode()
                          ? "Slack: app " + bot.botName() + " in Socket Mode (no public endpoint)"
                          : "Slack: app "
                              + bot.botName()
                              + " listening on port "
                              + bot.port()
                              + " at /slack/events")
              .orElse(
                  "Slack: off (set SLACK_BOT_TOKEN with SLACK_APP_TOKEN for Socket Mode, or with"
                      + " SLACK_SIGNING_SECRET for HTTP mode, to start it)"));
      awaitStop(stopped, hook);
    } finally {
      stdout.println("imagine-bot stopped");
      closed.countDown();
    }
    return ExitCodes.OK;
  }

  /** A role that shares the queue needs Redis: exit 3 with what to set. */
  private static void requireRedis(AppConfig config, Role role) {
    boolean shared = role != Role.ALL || config.queue().redis();
    if (shared && !config.redis().configured()) {
      throw new IllegalStateException(
          (role == Role.ALL
                  ? "queue.backend redis"
                  : "serve --role " + role.name().toLowerCase(Locale.ROOT))
              + " shares the queue through Redis, but redis.url is not set: set IMAGINE_REDIS_URL"
              + " (e.g. redis://127.0.0.1:6379/0) or --set redis.url=..., and a PostgreSQL"
              + " queue.database that every node reaches");
    }
  }

  /**
   * Discord's login from {@code DISCORD_TOKEN} and {@code DISCORD_GUILD_ID}; null (Discord off)
   * without a token.
   */
  private DiscordLogin discordLogin() {
    String token = env.get("DISCORD_TOKEN");
    if (token == null || token.isBlank()) {
      return null;
    }
    String guild = env.get("DISCORD_GUILD_ID");
    return new DiscordLogin(token.strip(), guild == null || guild.isBlank() ? null : guild.strip());
  }

  /**
   * Slack's secrets from {@code SLACK_BOT_TOKEN}, {@code SLACK_SIGNING_SECRET} and {@code
   * SLACK_APP_TOKEN} (Socket Mode when set); null (Slack off) when none is set. Some but not enough
   * of them is an error that says which one is missing.
   */
  private SlackLogin slackLogin() {
    String token = env.get("SLACK_BOT_TOKEN");
    String secret = env.get("SLACK_SIGNING_SECRET");
    String appToken = env.get("SLACK_APP_TOKEN");
    if (isBlank(token) && isBlank(secret) && isBlank(appToken)) {
      return null;
    }
    return new SlackLogin(token, secret, appToken);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** Until SIGTERM, or for {@code --for}. */
  private void awaitStop(CountDownLatch stopped, Thread hook) throws InterruptedException {
    if (runFor == null) {
      stopped.await();
    } else if (!stopped.await(runFor.toMillis(), TimeUnit.MILLISECONDS)) {
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
    try {
      latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, HealthIndicator> indicators(BotApplication app, LazyEngine engine) {
    JobQueue queue = app.queue();
    Database database = app.database();
    Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    indicators.put(
        "queue",
        () ->
            ComponentHealth.up(
                String.format(
                    Locale.ROOT,
                    "%d queued, %d running%s",
                    queue.snapshot().size(),
                    queue.running().size(),
                    queue.isPaused() ? ", paused" : "")));
    indicators.put("database", () -> database(database));
    app.redis()
        .ifPresent(
            redis ->
                indicators.put(
                    "redis",
                    () -> {
                      String state = redis.probe();
                      return new ComponentHealth(state.equals("up"), state);
                    }));
    indicators.put(
        "engine",
        () -> ComponentHealth.up(engine.started() ? "models loaded" : "loads on the first job"));
    return indicators;
  }

  /** A short cause such as "connection refused", never the driver's text or the URL's password. */
  private static ComponentHealth database(Database database) {
    Database.Health health = database.probe();
    return new ComponentHealth(health.up(), health.detail());
  }
}
