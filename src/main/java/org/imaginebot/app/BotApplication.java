package org.imaginebot.app;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.imaginebot.bot.ActionRefs;
import org.imaginebot.bot.BotServices;
import org.imaginebot.bot.ImagineService;
import org.imaginebot.bot.ModerationService;
import org.imaginebot.bot.ReplyAddresses;
import org.imaginebot.bot.Subscriptions;
import org.imaginebot.bot.discord.DiscordBot;
import org.imaginebot.bot.discord.DiscordConfig;
import org.imaginebot.bot.discord.DiscordLogin;
import org.imaginebot.bot.slack.SlackBot;
import org.imaginebot.bot.slack.SlackConfig;
import org.imaginebot.bot.slack.SlackLogin;
import org.imaginebot.cache.ResultCache;
import org.imaginebot.db.Database;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.limits.DailyQuotas;
import org.imaginebot.limits.GpuShares;
import org.imaginebot.limits.RateLimits;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.models.ModelKind;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.QueueLimits;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.SettingsStore;
import org.imaginebot.worker.GenerationRunner;
import org.imaginebot.worker.LazyEngine;
import org.imaginebot.worker.Worker;

/**
 * The one place the bot is wired, for {@code serve} and the end-to-end tests alike: one {@link
 * Database} (pool and migrations) shared by the job, settings, reply-address and button stores, the
 * persistent fair queue (resuming jobs left from the last run), live settings, limits, the result
 * cache, the workers, the two services adapters call, and the chat adapters themselves. {@code
 * generate} builds its runner here too.
 *
 * <p>Startup order, which {@link #startServing} keeps: {@link #open} the core, start the adapters
 * (each registers how it delivers jobs resumed from the last run), then start the workers, so no
 * resumed job starts unheard. Closing stops the adapters, then the workers (their running jobs stay
 * in the store and run again on the next start), then the database, then the engine.
 */
public final class BotApplication implements AutoCloseable {

  private final Database database;
  private final Engine engine;
  private final JobQueue queue;
  private final LiveSettings settings;
  private final BotServices services;
  private final Worker worker;
  private final int resumedJobs;
  private final DiscordConfig discordConfig;
  private final SlackConfig slackConfig;
  private volatile DiscordBot discord;
  private volatile SlackBot slack;
  private boolean closed;

  private BotApplication(
      AppConfig config, ModelManifest manifest, Engine engine, BotMetrics metrics, Clock clock) {
    this.engine = engine;
    this.discordConfig = config.discord();
    this.slackConfig = config.slack();
    Set<String> generators = generatorIds(manifest);
    this.database =
        Database.open(
            config.queue().database(), config.queue().poolSize(), config.queue().connectTimeout());
    try {
      this.queue =
          JobQueue.persistent(
              QueueLimits.serving(config.queue().maxQueued()),
              clock,
              JobStore.jdbc(database.dataSource()));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    this.resumedJobs = queue.snapshot().size() + queue.running().size();
    this.settings =
        new LiveSettings(
            config.limits().toScopeSettings(),
            SettingsStore.jdbc(database.dataSource()),
            clock,
            generators);
    GpuShares shares = new GpuShares(settings);
    settings.addListener((scopeId, changed) -> queue.recheck());
    GenerationRunner runner = runner(config, manifest, engine, clock);
    ReplyAddresses addresses = new ReplyAddresses(database.dataSource());
    // Listeners first, then the worker that reports to them, then the service that cancels its
    // jobs.
    Subscriptions subscriptions = new Subscriptions(queue, metrics, clock, addresses);
    this.worker = new Worker(queue, runner, shares, config.worker(), subscriptions);
    ImagineService imagine =
        new ImagineService(
            config.engine(),
            settings,
            new RateLimits(settings, System::nanoTime),
            queue,
            runner,
            generators,
            metrics,
            subscriptions,
            worker,
            new DailyQuotas(database.dataSource(), clock, config.limits().quotaResetAt()),
            config.cache().seedFromPrompt());
    this.services =
        new BotServices(
            imagine,
            new ModerationService(queue, imagine, settings, shares),
            new ActionRefs(database.dataSource(), config.queue().buttonTtl(), clock),
            generators,
            config.engine().maxSteps(),
            config.worker().gpuConcurrency());
    metrics.bindQueue(() -> queue.snapshot().size(), () -> queue.running().size());
  }

  /**
   * Builds the core and starts its workers, with no chat adapter.
   *
   * @param engine runs the jobs; closed with the core
   */
  public static BotApplication start(
      AppConfig config, ModelManifest manifest, Engine engine, BotMetrics metrics, Clock clock) {
    return open(config, manifest, engine, metrics, clock).startWorkers();
  }

  /**
   * Builds the core without starting its workers, so adapters can register how they deliver jobs
   * resumed from the last run ({@link ImagineService#onResumed}) before any of them runs.
   *
   * @param engine runs the jobs; closed with the core
   */
  public static BotApplication open(
      AppConfig config, ModelManifest manifest, Engine engine, BotMetrics metrics, Clock clock) {
    Objects.requireNonNull(engine, "engine");
    return new BotApplication(config, manifest, engine, metrics, clock);
  }

  /**
   * The engine {@code serve} and {@code generate} use: DJL on the manifest's models, loaded on the
   * first job.
   */
  public static LazyEngine engine(AppConfig config, ModelManifest manifest) {
    return new LazyEngine(() -> new DjlEngine(config.engine(), manifest));
  }

  /** Runs requests through the configured result cache (memory, then disk) before the engine. */
  public static GenerationRunner runner(
      AppConfig config, ModelManifest manifest, Engine engine, Clock clock) {
    return new GenerationRunner(
        engine,
        ResultCache.tiered(config.cache(), clock),
        model -> EngineFingerprint.of(config.engine(), manifest, model),
        clock);
  }

  /**
   * Starts Discord when it has a login, then the workers.
   *
   * @see #startServing(DiscordLogin, SlackLogin, Clock)
   */
  public BotApplication startServing(DiscordLogin discordLogin, Clock adapterClock)
      throws InterruptedException {
    return startServing(discordLogin, null, adapterClock);
  }

  /**
   * Starts the chat adapters that have a login, then the workers: jobs resumed from the last run
   * start only once their adapter can deliver them.
   *
   * @param discordLogin null leaves Discord off
   * @param slackLogin null leaves Slack off
   * @param adapterClock decides when a chat reply is too old to edit (tests move it)
   */
  public BotApplication startServing(
      DiscordLogin discordLogin, SlackLogin slackLogin, Clock adapterClock)
      throws InterruptedException {
    if (discordLogin != null) {
      discord = DiscordBot.start(discordLogin, discordConfig, services, adapterClock);
    }
    if (slackLogin != null) {
      slack = SlackBot.start(slackLogin, slackConfig, services);
    }
    return startWorkers();
  }

  /** Starts the workers: jobs resumed from the last run start now. */
  public BotApplication startWorkers() {
    worker.start();
    return this;
  }

  /** What chat adapters use. */
  public BotServices services() {
    return services;
  }

  public ImagineService imagine() {
    return services.imagine();
  }

  public ModerationService moderation() {
    return services.moderation();
  }

  public JobQueue queue() {
    return queue;
  }

  public LiveSettings settings() {
    return settings;
  }

  /** The Discord adapter once {@link #startServing} started it. */
  public Optional<DiscordBot> discord() {
    return Optional.ofNullable(discord);
  }

  /** The database every store uses; {@code /health} probes it. */
  public Database database() {
    return database;
  }

  /** The Slack adapter once {@link #startServing} started it. */
  public Optional<SlackBot> slack() {
    return Optional.ofNullable(slack);
  }

  /** The generator ids requests may name. */
  public Set<String> models() {
    return services.models();
  }

  /** Jobs queued or running when the core opened, left from the last run. */
  public int resumedJobs() {
    return resumedJobs;
  }

  private static Set<String> generatorIds(ModelManifest manifest) {
    Set<String> ids = new TreeSet<>();
    for (ModelSpec spec : manifest.all()) {
      if (spec.kind() != ModelKind.CLIP) {
        ids.add(spec.id());
      }
    }
    return ids;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (discord != null) {
        discord.close();
      }
      if (slack != null) {
        slack.close();
      }
    } finally {
      try {
        worker.close();
      } finally {
        try {
          database.close();
        } finally {
          engine.close();
        }
      }
    }
  }
}
