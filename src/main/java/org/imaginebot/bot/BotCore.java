package org.imaginebot.bot;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.imaginebot.cache.ResultCache;
import org.imaginebot.app.AppConfig;
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
import org.imaginebot.queue.QueueConfig;
import org.imaginebot.queue.QueueLimits;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.SettingsStore;
import org.imaginebot.worker.GenerationRunner;
import org.imaginebot.worker.Worker;

/**
 * The bot's core in one process, wired from the configuration: job and settings stores in the
 * configured database, the persistent fair queue (resuming jobs left from the last run), live
 * settings, limits, the result cache, the workers, and the two services adapters call.
 *
 * <p>Closing stops the workers first (their running jobs stay in the store and run again on the
 * next start), then the stores, then the engine.
 */
public final class BotCore implements AutoCloseable {

  /** A per-user cap above any guild's setting: the guild's own cap applies on each offer. */
  public static final int QUEUE_USER_CAP = 100;

  private final JobStore jobStore;
  private final SettingsStore settingsStore;
  private final ReplyAddresses addresses;
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
    this.jobStore = JobStore.jdbc(config.queue().database());
    try {
      this.settingsStore = SettingsStore.jdbc(config.queue().database());
    } catch (RuntimeException e) {
      jobStore.close();
      throw e;
    }
    this.queue = openQueue(config.queue(), jobStore, clock);
    this.settings = new LiveSettings(config.limits().toScopeSettings(), settingsStore, clock, generators);
    GpuShares shares = new GpuShares(settings);
    settings.addListener((scopeId, changed) -> queue.recheck());
    GenerationRunner runner = new GenerationRunner(engine, ResultCache.tiered(config.cache(), clock),
        model -> EngineFingerprint.of(config.engine(), manifest, model), clock);
    this.addresses = ReplyAddresses.jdbc(config.queue().database());
    this.imagine = new ImagineService(config.engine(), settings, new RateLimits(settings), queue, runner, generators,
        metrics, clock, addresses);
    this.moderation = new ModerationService(queue, imagine, settings, shares);
    this.worker = new Worker(queue, runner, shares, config.worker(), imagine.jobEvents());
    imagine.attach(worker);
    metrics.bindQueue(() -> queue.snapshot().size(), () -> queue.running().size());
  }

  /**
   * The persistent fair queue exactly as {@code serve} runs it ({@code bench queue} measures this one):
   * the configured global cap, {@link #QUEUE_USER_CAP} per user, the guild's own cap on each offer.
   */
  public static JobQueue openQueue(QueueConfig config, JobStore store, Clock clock) {
    return JobQueue.persistent(new QueueLimits(config.maxQueued(), QUEUE_USER_CAP), clock, store);
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
        addresses.close();
        settingsStore.close();
        jobStore.close();
      } finally {
        engine.close();
      }
    }
  }
}
