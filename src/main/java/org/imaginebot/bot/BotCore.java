package org.imaginebot.bot;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.imaginebot.cache.ResultCache;
import org.imaginebot.app.AppConfig;
import org.imaginebot.db.Database;
import org.imaginebot.models.ModelKind;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.limits.GpuShares;
import org.imaginebot.limits.RateLimits;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.QueueLimits;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.SettingsStore;
import org.imaginebot.worker.GenerationRunner;
import org.imaginebot.worker.Worker;

/**
 * The bot's core in one process, wired from the configuration: one {@link Database} (pool and
 * migrations) whose connections the job, settings, reply-address and button stores share, the persistent fair queue (resuming jobs left from the last run), live
 * settings, limits, the result cache, the workers, and the two services adapters call.
 *
 * <p>Closing stops the workers first (their running jobs stay in the store and run again on the
 * next start), then the database, then the engine.
 */
public final class BotCore implements AutoCloseable {

  /** A per-user cap above any guild's setting: the guild's own cap applies on each offer. */
  private static final int QUEUE_USER_CAP = 100;

  private final Database database;
  private final ActionRefs actionRefs;
  private final Engine engine;
  private final JobQueue queue;
  private final LiveSettings settings;
  private final ImagineService imagine;
  private final ModerationService moderation;
  private final Worker worker;
  private final Set<String> models;

  private BotCore(AppConfig config, ModelManifest manifest, Engine engine, BotMetrics metrics, Clock clock) {
    this.engine = engine;
    Set<String> generators = generatorIds(manifest);
    this.models = Set.copyOf(generators);
    this.database = Database.open(config.queue().database(), config.queue().poolSize(),
        config.queue().connectTimeout());
    try {
      this.queue = JobQueue.persistent(new QueueLimits(config.queue().maxQueued(), QUEUE_USER_CAP), clock,
          JobStore.jdbc(database.dataSource()));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    this.actionRefs = new ActionRefs(database.dataSource(), config.queue().buttonTtl(), clock);
    this.settings = new LiveSettings(config.limits().toScopeSettings(), SettingsStore.jdbc(database.dataSource()),
        clock, generators);
    GpuShares shares = new GpuShares(settings);
    settings.addListener((scopeId, changed) -> queue.recheck());
    GenerationRunner runner = new GenerationRunner(engine, ResultCache.tiered(config.cache(), clock),
        model -> EngineFingerprint.of(config.engine(), manifest, model), clock);
    this.imagine = new ImagineService(config.engine(), settings, new RateLimits(settings), queue, runner, generators,
        metrics, clock, new ReplyAddresses(database.dataSource()));
    this.moderation = new ModerationService(queue, imagine, settings, shares);
    this.worker = new Worker(queue, runner, shares, config.worker(), imagine.jobEvents());
    imagine.attach(worker);
    metrics.bindQueue(() -> queue.snapshot().size(), () -> queue.running().size());
  }

  /**
   * Builds the core and starts its workers.
   *
   * @param engine runs the jobs; closed with the core
   */
  public static BotCore start(AppConfig config, ModelManifest manifest, Engine engine, BotMetrics metrics, Clock clock) {
    return open(config, manifest, engine, metrics, clock).startWorkers();
  }

  /**
   * Builds the core without starting its workers, so adapters can register how they deliver jobs
   * resumed from the last run ({@link ImagineService#onResumed}) before any of them runs.
   */
  public static BotCore open(AppConfig config, ModelManifest manifest, Engine engine, BotMetrics metrics, Clock clock) {
    Objects.requireNonNull(engine, "engine");
    return new BotCore(config, manifest, engine, metrics, clock);
  }

  /** Starts the workers: jobs resumed from the last run start now. */
  public BotCore startWorkers() {
    worker.start();
    return this;
  }

  public ImagineService imagine() {
    return imagine;
  }

  public ModerationService moderation() {
    return moderation;
  }

  public JobQueue queue() {
    return queue;
  }

  public LiveSettings settings() {
    return settings;
  }

  /** The database every store uses; {@code /health} probes it. */
  public Database database() {
    return database;
  }

  /** The requests behind chat buttons, kept across restarts. */
  public ActionRefs actionRefs() {
    return actionRefs;
  }

  /** The generator ids requests may name. */
  public Set<String> models() {
    return models;
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
  public void close() {
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
