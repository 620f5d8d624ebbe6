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
import org.imaginebot.bot.Replays;
import org.imaginebot.bot.ReplyAddresses;
import org.imaginebot.bot.Subscriptions;
import org.imaginebot.bot.UserPrefsStore;
import org.imaginebot.bot.discord.DiscordBot;
import org.imaginebot.bot.discord.DiscordConfig;
import org.imaginebot.bot.discord.DiscordLogin;
import org.imaginebot.bot.slack.SlackBot;
import org.imaginebot.bot.slack.SlackConfig;
import org.imaginebot.bot.slack.SlackLogin;
import org.imaginebot.cache.ResultCache;
import org.imaginebot.cluster.ClusterEvents;
import org.imaginebot.cluster.ClusterRunners;
import org.imaginebot.cluster.EventRelay;
import org.imaginebot.cluster.Redis;
import org.imaginebot.cluster.RedisJobQueue;
import org.imaginebot.cluster.RedisRateLimits;
import org.imaginebot.cluster.RedisReplays;
import org.imaginebot.cluster.RedisScopePauses;
import org.imaginebot.cluster.SettingsNotices;
import org.imaginebot.cluster.SharedPurges;
import org.imaginebot.db.Database;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.limits.DailyQuotas;
import org.imaginebot.limits.GpuShares;
import org.imaginebot.limits.RateLimits;
import org.imaginebot.limits.RequestLimiter;
import org.imaginebot.limits.ScopePauses;
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
import org.imaginebot.worker.JobEvents;
import org.imaginebot.worker.JobRunners;
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
  private final Role role;
  private final Redis redis; // null with the local queue
  private final JobQueue queue;
  private final LiveSettings settings;
  private final BotServices services;
  private final Worker worker; // null on a bot node
  private final EventRelay relay; // null unless a node of a cluster that talks to chat
  private final int resumedJobs;
  private final DiscordConfig discordConfig;
  private final SlackConfig slackConfig;
  private volatile DiscordBot discord;
  private volatile SlackBot slack;
  private boolean closed;

  private BotApplication(
      AppConfig config,
      ModelManifest manifest,
      Engine engine,
      BotMetrics metrics,
      Clock clock,
      Role role) {
    this.engine = engine;
    this.role = role;
    this.discordConfig = config.discord();
    this.slackConfig = config.slack();
    Set<String> generators = generatorIds(manifest);
    this.database =
        Database.open(
            config.queue().database(), config.queue().poolSize(), config.queue().connectTimeout());
    boolean shared = config.queue().redis() || role != Role.ALL;
    RedisJobQueue shared0 = null;
    Redis redis0 = null;
    LiveSettings settings0;
    try {
      settings0 =
          new LiveSettings(
              config.limits().toScopeSettings(),
              SettingsStore.jdbc(database.dataSource()),
              clock,
              generators);
      QueueLimits limits = QueueLimits.serving(config.queue().maxQueued());
      if (shared) {
        redis0 = Redis.connect(config.redis());
        LiveSettings live = settings0;
        shared0 =
            new RedisJobQueue(
                redis0,
                JobStore.jdbc(database.dataSource()),
                limits,
                clock,
                config.worker().leaseTimeout(),
                () -> live.defaults().gpuConcurrency(),
                role.runsEngine() ? config.worker().gpuConcurrency() : 0);
        this.queue = shared0;
      } else {
        this.queue = JobQueue.persistent(limits, clock, JobStore.jdbc(database.dataSource()));
      }
    } catch (RuntimeException e) {
      if (redis0 != null) {
        redis0.close();
      }
      database.close();
      throw e;
    }
    this.redis = redis0;
    this.settings = settings0;
    this.resumedJobs = shared ? 0 : queue.snapshot().size() + queue.running().size();
    if (shared) {
      shared0.onRefill(SettingsNotices.start(redis, settings)::publishShares);
    }
    GpuShares shares =
        new GpuShares(settings, shared ? new RedisScopePauses(redis) : ScopePauses.local());
    settings.addListener((scopeId, changed) -> queue.recheck());
    ResultCache cache = ResultCache.tiered(config.cache(), clock);
    GenerationRunner runner =
        runner(config, manifest, engine, shared ? SharedPurges.start(redis, cache) : cache, clock);
    ReplyAddresses addresses = new ReplyAddresses(database.dataSource());
    // Listeners first, then the worker that reports to them, then the service that cancels its
    // jobs.
    Subscriptions subscriptions = new Subscriptions(queue, metrics, clock, addresses);
    JobEvents events = shared ? new ClusterEvents(redis, shared0, metrics) : subscriptions;
    this.worker =
        role.runsEngine() ? new Worker(queue, runner, shares, config.worker(), events) : null;
    if (shared && worker != null) {
      ClusterRunners.listen(redis, worker);
    }
    this.relay = shared && role.runsChat() ? new EventRelay(redis, shared0, subscriptions) : null;
    JobRunners runners = shared ? new ClusterRunners(redis, shared0) : worker;
    RequestLimiter rateLimits =
        shared ? new RedisRateLimits(redis, settings) : new RateLimits(settings, System::nanoTime);
    ActionRefs refs = new ActionRefs(database.dataSource(), config.queue().buttonTtl(), clock);
    ImagineService imagine =
        new ImagineService(
            config.engine(),
            settings,
            rateLimits,
            queue,
            runner,
            generators,
            metrics,
            subscriptions,
            runners,
            new DailyQuotas(database.dataSource(), clock, config.limits().quotaResetAt()),
            refs,
            new UserPrefsStore(database.dataSource(), clock),
            config.cache().seedFromPrompt());
    this.services =
        new BotServices(
            imagine,
            new ModerationService(queue, imagine, settings, shares, refs),
            refs,
            generators,
            config.engine().maxSteps(),
            config.worker().gpuConcurrency(),
            shared ? new RedisReplays(redis) : Replays.local());
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
    return open(config, manifest, engine, metrics, clock, Role.ALL);
  }

  /**
   * Like {@link #open(AppConfig, ModelManifest, Engine, BotMetrics, Clock)} for one role of a
   * cluster: {@code bot} and {@code worker} (and {@code all} with {@code queue.backend: redis})
   * share the queue through Redis ({@code redis.url}) and the database.
   */
  public static BotApplication open(
      AppConfig config,
      ModelManifest manifest,
      Engine engine,
      BotMetrics metrics,
      Clock clock,
      Role role) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(role, "role");
    return new BotApplication(config, manifest, engine, metrics, clock, role);
  }

  /**
   * A node of {@code role} on the models of the config's manifest, with the DJL engine (loaded on
   * the first job, so a bot node never loads it) and its own metrics, workers not started yet.
   */
  public static BotApplication open(AppConfig config, Role role) {
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    return open(
        config, manifest, engine(config, manifest), new BotMetrics(), Clock.systemUTC(), role);
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
    return runner(config, manifest, engine, ResultCache.tiered(config.cache(), clock), clock);
  }

  private static GenerationRunner runner(
      AppConfig config, ModelManifest manifest, Engine engine, ResultCache cache, Clock clock) {
    return new GenerationRunner(
        engine, cache, model -> EngineFingerprint.of(config.engine(), manifest, model), clock);
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

  /** Starts the workers (none on a bot node): jobs resumed from the last run start now. */
  public BotApplication startWorkers() {
    if (worker != null) {
      worker.start();
    }
    return this;
  }

  /** What this process does in a cluster. */
  public Role role() {
    return role;
  }

  /** The link to Redis of a cluster node; empty with the local queue. */
  public Optional<Redis> redis() {
    return Optional.ofNullable(redis);
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
        if (relay != null) {
          relay.close();
        }
        if (worker != null) {
          worker.close();
        }
        if (queue instanceof RedisJobQueue shared) {
          shared.close();
        }
      } finally {
        try {
          services.actionRefs().close(); // the button rows still in memory go to the database
          if (redis != null) {
            redis.close();
          }
          database.close();
        } finally {
          engine.close();
        }
      }
    }
  }
}
