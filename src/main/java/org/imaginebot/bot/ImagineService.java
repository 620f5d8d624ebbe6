package org.imaginebot.bot;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.Progress;
import org.imaginebot.limits.DailyQuotas;
import org.imaginebot.limits.Refusal;
import org.imaginebot.limits.RefusalKind;
import org.imaginebot.limits.RequestLimiter;
import org.imaginebot.limits.RequestPolicy;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.queue.Admission;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.CancelResult;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobAttachment;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobStoreException;
import org.imaginebot.request.CacheKey;
import org.imaginebot.request.Echo;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ParsedRequest;
import org.imaginebot.request.RequestBounds;
import org.imaginebot.request.RequestException;
import org.imaginebot.request.RequestParser;
import org.imaginebot.request.Strategy;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.ScopeSettings;
import org.imaginebot.settings.SettingsStoreException;
import org.imaginebot.worker.GenerationRunner;
import org.imaginebot.worker.JobRunners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point every adapter (Discord, Slack, CLI) uses to ask for an image.
 *
 * <p>A request passes, in order: the guild's rules (banned words, channel, strategy, model, steps,
 * size), the result cache (a hit is answered at once, with no GPU work and no rate-limit cost; a
 * request without a seed gets one derived from it, so a repeat prompt is such a hit), an identical
 * job already queued or running (joined, not run twice), the per-user and per-guild rate limits,
 * and the fair queue with the guild's per-user cap. Every refusal is a typed {@link
 * Submission.Refused} with a message for the user.
 *
 * <p>Each user may save defaults of their own per scope ({@link #changePrefs}, {@code
 * /imagine-prefs}): {@link #resolve} fills the model, strategy and steps a request leaves out from
 * them, so such a request is the same request (same cache key, same derived seed) as one that names
 * those values.
 */
public final class ImagineService {

  private static final Logger LOG = LoggerFactory.getLogger(ImagineService.class);

  private static final String STORE_DOWN =
      "The bot cannot read this server's settings right now; nothing was queued — try again in a minute.";
  private static final String PREFS_STORE_DOWN =
      "The bot cannot reach its database right now, so your defaults were not read or changed —"
          + " try again in a minute.";
  private static final String PREFS_DOWN =
      "The bot cannot read your saved defaults (/imagine-prefs) right now; nothing was queued — try"
          + " again in a minute, or give the model, strategy and steps yourself.";

  private final EngineConfig engine;
  private final LiveSettings settings;
  private final RequestLimiter rateLimits;
  private final JobQueue queue;
  private final GenerationRunner runner;
  private final Set<String> models;
  private final BotMetrics metrics;
  private final Subscriptions subscriptions;
  private final boolean seedFromPrompt;
  private final JobRunners worker;
  private final ActionRefs refs;

  /**
   * @param engine defaults for options a request leaves out, and the engine's own step limit
   * @param models the generator ids of the manifest; others are refused before anything runs
   * @param subscriptions who listens to each job; the {@code worker} reports to it
   * @param worker runs this service's queue (this process's worker, or the cluster's); {@link
   *     #cancel} stops its running jobs
   * @param refs the requests behind reply buttons, with who asked: {@link #delete} reads them
   * @param prefs each user's own defaults per scope
   * @param seedFromPrompt {@code cache.seedFromPrompt}: a request without a seed gets one derived
   *     from it, so a repeat is answered from the cache
   */
  private final DailyQuotas quotas;

  private final UserPrefsStore prefs;

  public ImagineService(
      EngineConfig engine,
      LiveSettings settings,
      RequestLimiter rateLimits,
      JobQueue queue,
      GenerationRunner runner,
      Set<String> models,
      BotMetrics metrics,
      Subscriptions subscriptions,
      JobRunners worker,
      DailyQuotas quotas,
      ActionRefs refs,
      UserPrefsStore prefs,
      boolean seedFromPrompt) {
    this.refs = Objects.requireNonNull(refs, "refs");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    this.prefs = Objects.requireNonNull(prefs, "prefs");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.models = Set.copyOf(new TreeSet<>(models));
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.seedFromPrompt = seedFromPrompt;
  }

  /**
   * Registers how the adapter of {@code source} delivers jobs asked for before a restart; call it
   * before the workers start, so a resumed job never starts unheard.
   */
  public void onResumed(String source, ResumedJobs resumed) {
    subscriptions.onResumed(source, resumed);
  }

  /**
   * What a request in {@code scopeId} may ask for and gets when it leaves an option out: the
   * engine's defaults within the guild's live limits, and whether a left-out seed is derived from
   * the request. A user's own defaults are not in it; see {@link #resolve}.
   */
  public RequestBounds bounds(String scopeId) {
    return bounds(settings.get(scopeId), UserPrefs.NONE);
  }

  /**
   * The scope's bounds with the user's saved defaults in place of the engine's where the scope
   * allows them: a model or strategy it no longer allows is not used, steps above its limit are cut
   * to it.
   */
  private RequestBounds bounds(ScopeSettings rules, UserPrefs saved) {
    int maxSteps = Math.min(rules.maxSteps(), engine.maxSteps());
    return new RequestBounds(
        saved
            .model()
            .filter(m -> models.contains(m) && rules.allowsModel(m))
            .orElse(engine.defaultModel()),
        saved
            .strategy()
            .filter(s -> rules.allowsStrategy(s.id()))
            .orElseGet(() -> Strategy.parse(engine.defaultStrategy())),
        Math.min(saved.steps().orElse(engine.defaultSteps()), maxSteps),
        maxSteps,
        rules.maxSize(),
        seedFromPrompt,
        saved.grid().orElse(1) == GenerationRequest.GRID ? GenerationRequest.GRID : 0);
  }

  /**
   * The request {@code parsed} makes for {@code requester}: the model, strategy and steps it leaves
   * out come from the requester's saved defaults in their scope ({@code /imagine-prefs}), the rest
   * from the scope's; options given always win. The result equals the request that names the same
   * values, so both share a cache key and a derived seed. The saved defaults are read only when one
   * of those options is left out.
   *
   * @throws RequestException naming the option when a value is out of range, or saying that the
   *     saved defaults cannot be read now
   */
  public GenerationRequest resolve(
      Requester requester, ParsedRequest parsed, LongSupplier randomSeed) {
    RequestBounds bounds;
    try {
      bounds = boundsFor(requester, parsed);
    } catch (JobStoreException e) {
      throw new RequestException(PREFS_DOWN, "");
    }
    return parsed.resolve(bounds, randomSeed);
  }

  /**
   * @throws JobStoreException when the saved defaults it needs cannot be read
   */
  private RequestBounds boundsFor(Requester requester, ParsedRequest parsed) {
    boolean needed =
        parsed.model().isEmpty()
            || parsed.strategy().isEmpty()
            || parsed.steps().isEmpty()
            || parsed.grid().isEmpty();
    UserPrefs saved = UserPrefs.NONE;
    if (needed) {
      try {
        saved = prefs.get(requester.scopeId(), requester.userId());
      } catch (JobStoreException e) {
        // Only a grid default is missing from a request that gives the rest: one image, as asked.
        if (parsed.model().isEmpty() || parsed.strategy().isEmpty() || parsed.steps().isEmpty()) {
          throw e;
        }
      }
    }
    return bounds(settings.get(requester.scopeId()), saved);
  }

  /**
   * Submits a command line such as {@code a lighthouse | oil painting:0.5 --no blurry --steps 50}
   * (Slack's text, the CLI's); a line that does not parse is refused with {@link
   * RefusalKind#BAD_REQUEST} and the parser's message, which names the bad token.
   */
  public Submission submit(Requester requester, String line, JobListener listener) {
    GenerationRequest request;
    try {
      ParsedRequest parsed = RequestParser.parse(line);
      RequestBounds bounds;
      try {
        bounds = boundsFor(requester, parsed);
      } catch (JobStoreException e) {
        metrics.requestReceived(requester.source());
        return refused(storeUnavailable(PREFS_DOWN));
      }
      request = parsed.resolve(bounds, ThreadLocalRandom.current()::nextLong);
    } catch (RequestException e) {
      metrics.requestReceived(requester.source());
      return refused(Refusal.of(RefusalKind.BAD_REQUEST, e.getMessage()));
    }
    return submit(requester, request, listener);
  }

  /**
   * Submits a request; the listener hears its position, progress and image.
   *
   * @return at once: refused, cached (the listener has the image already) or queued
   */
  public Submission submit(Requester requester, GenerationRequest request, JobListener listener) {
    return submit(requester, request, listener, () -> false);
  }

  /**
   * Like {@link #submit(Requester, GenerationRequest, JobListener)} for a requester who may be a
   * moderator, exempt from the daily quota; {@code moderator} is asked only when the quota would
   * refuse (on Slack it may cost a Web API call).
   */
  public Submission submit(
      Requester requester,
      GenerationRequest request,
      JobListener listener,
      BooleanSupplier moderator) {
    return submit(requester, request, listener, moderator, null);
  }

  /**
   * Like {@link #submit(Requester, GenerationRequest, JobListener, BooleanSupplier)} for a request
   * made from an earlier image ({@code parent}; null for none): the PNG the listener gets names the
   * parent's job in its provenance ({@code parent_job}). Only the delivered copy carries it; the
   * cache keeps the image without, so a later identical request is not told another's parent.
   */
  public Submission submit(
      Requester requester,
      GenerationRequest request,
      JobListener listener,
      BooleanSupplier moderator,
      Parent parent) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (parent != null && parent.jobId() != null) {
      listener = new ParentStamping(listener, parent.jobId());
    }
    metrics.requestReceived(requester.source());
    ScopeSettings rules;
    try {
      rules = settings.get(requester.scopeId());
    } catch (
        SettingsStoreException e) { // a guild not seen since the start, during a database outage
      return refused(storeUnavailable(STORE_DOWN));
    }
    Optional<Refusal> refusal =
        checkModel(request).or(() -> RequestPolicy.check(rules, requester.channelId(), request));
    if (refusal.isPresent()) {
      return refused(refusal.get());
    }
    Optional<CachedImage> hit = runner.cached(request);
    if (hit.isPresent()) {
      metrics.cacheHit("result");
      CachedImage image =
          parent == null || parent.jobId() == null
              ? hit.get()
              : ParentStamping.stamped(hit.get(), parent.jobId());
      listener.finished(image, true);
      return new Submission.Cached(image);
    }
    CacheKey key = request.cacheable() ? runner.keyOf(request) : null;
    if (key != null) {
      metrics.cacheMiss();
      Optional<Submission.Queued> joined = subscriptions.join(key, requester.userId(), listener);
      if (joined.isPresent()) {
        metrics.cacheHit("shared");
        return joined.get();
      }
    }
    refusal = rateLimits.tryAcquire(requester.scopeId(), requester.userId());
    if (refusal.isPresent()) {
      return refused(refusal.get());
    }
    DailyQuotas.Counted counted;
    try {
      counted =
          quotas.tryCount(
              requester.scopeId(), requester.userId(), rules.dailyImagesPerUser(), moderator);
    } catch (JobStoreException e) { // the day's count cannot be read: nothing is queued
      rateLimits.giveBack(requester.scopeId(), requester.userId());
      return refused(storeUnavailable(STORE_DOWN));
    }
    if (counted.refusal() != null) {
      rateLimits.giveBack(requester.scopeId(), requester.userId());
      return refused(counted.refusal());
    }
    DailyQuotas.Use quota = counted.use();
    Admission admission =
        subscriptions.offer(
            attachment ->
                queue.offer(
                    requester.userId(),
                    requester.scopeId(),
                    request,
                    rules.maxQueuedPerUser(),
                    both(attachment, quota.attachment())),
            key,
            requester,
            listener);
    if (admission instanceof Admission.Refused queueRefusal) {
      rateLimits.giveBack(requester.scopeId(), requester.userId());
      quota.giveBack();
      return refused(refusal(queueRefusal));
    }
    Admitted admitted = (Admitted) admission;
    metrics.jobQueued();
    return new Submission.Queued(admitted.job().id(), admitted.position(), false);
  }

  /**
   * What {@code /imagine-info} shows {@code requester}: their jobs in their scope with positions
   * and estimates, their saved defaults, today's use against the quota, the scope's limits and the
   * queue's load.
   *
   * @throws SettingsStoreException or {@link JobStoreException} when the database cannot be read
   */
  public UserInfo info(Requester requester) {
    ScopeSettings rules = settings.get(requester.scopeId());
    Optional<Duration> perStep = subscriptions.recentTimePerStep();
    List<QueueView.Entry> jobs = new ArrayList<>();
    List<Optional<Duration>> etas = new ArrayList<>();
    List<Job> running = queue.running();
    long stepsAhead = 0; // what runs before a waiting job, in steps, spread over the workers
    for (Job job : running) {
      stepsAhead += job.request().steps() / 2; // about half done, on average
      if (mine(job, requester)) {
        jobs.add(QueueView.Entry.of(job, 0));
        etas.add(perStep.map(t -> t.multipliedBy(job.request().steps() / 2 + 1)));
      }
    }
    List<Job> waiting = queue.snapshot();
    int workers = Math.max(1, worker.concurrency());
    for (int i = 0; i < waiting.size(); i++) {
      Job job = waiting.get(i);
      stepsAhead += job.request().steps();
      if (mine(job, requester)) {
        long steps = stepsAhead / workers + job.request().steps();
        jobs.add(QueueView.Entry.of(job, i + 1));
        etas.add(perStep.map(t -> t.multipliedBy(steps)));
      }
    }
    return new UserInfo(
        jobs,
        etas,
        quotas.usedToday(requester.scopeId(), requester.userId()),
        quotas.nextReset(),
        rules,
        waiting.size(),
        running.size(),
        perStep,
        prefsView(rules, prefs.get(requester.scopeId(), requester.userId())));
  }

  /**
   * The requester's saved defaults in their scope, and what a request that leaves those options out
   * gets now.
   *
   * @throws PrefsException when the database cannot be read
   */
  public PrefsView prefs(Requester requester) {
    return changePrefs(requester, PrefsChange.SHOW);
  }

  /**
   * Does what one {@code /imagine-prefs} asks: removes the requester's saved defaults in their
   * scope when {@code change.clear()}, then saves the values given over the ones kept. Each value
   * is checked as a request's would be: the model must be one of this bot's generators (its case is
   * ignored) that the scope allows, the strategy one the scope allows, steps from 1 to the scope's
   * limit. Nothing is saved when a value is refused.
   *
   * @return the defaults saved now, beside what a request gets from them
   * @throws PrefsException with a message for the user: a refused value, or the database away
   */
  public PrefsView changePrefs(Requester requester, PrefsChange change) {
    Objects.requireNonNull(change, "change");
    ScopeSettings rules;
    try {
      rules = settings.get(requester.scopeId());
    } catch (SettingsStoreException e) {
      throw new PrefsException(PREFS_STORE_DOWN);
    }
    UserPrefs given = checked(change, rules);
    try {
      UserPrefs kept =
          change.clear() ? UserPrefs.NONE : prefs.get(requester.scopeId(), requester.userId());
      UserPrefs saved = kept.with(given);
      if (change.clear() || change.setsValues()) {
        prefs.put(requester.scopeId(), requester.userId(), saved);
      }
      return prefsView(rules, saved);
    } catch (JobStoreException e) {
      throw new PrefsException(PREFS_STORE_DOWN);
    }
  }

  /**
   * Removes the requester's saved defaults in their scope.
   *
   * @throws PrefsException when the database cannot be written
   */
  public PrefsView clearPrefs(Requester requester) {
    return changePrefs(requester, PrefsChange.CLEAR);
  }

  private PrefsView prefsView(ScopeSettings rules, UserPrefs saved) {
    return new PrefsView(saved, bounds(rules, saved));
  }

  /** The values {@code change} gives, checked against this bot and the scope's live settings. */
  private UserPrefs checked(PrefsChange change, ScopeSettings rules) {
    Optional<String> model = change.model().map(typed -> knownModel(typed, rules));
    Optional<Strategy> strategy =
        change
            .strategy()
            .map(
                typed -> {
                  Strategy parsed;
                  try {
                    parsed = Strategy.parse(typed);
                  } catch (IllegalArgumentException e) {
                    throw new PrefsException(e.getMessage() + ".");
                  }
                  if (!rules.allowsStrategy(parsed.id())) {
                    throw new PrefsException(
                        "The "
                            + parsed.id()
                            + " strategy is not allowed on this server; allowed: "
                            + String.join(", ", rules.strategies())
                            + ".");
                  }
                  return parsed;
                });
    if (change.steps().isPresent()) {
      int steps = change.steps().getAsInt();
      int maxSteps = Math.min(rules.maxSteps(), engine.maxSteps());
      if (steps < 1 || steps > maxSteps) {
        throw new PrefsException(
            "steps must be between 1 and " + maxSteps + " here, got " + steps + ".");
      }
    }
    if (change.grid().isPresent()
        && change.grid().getAsInt() != 1
        && change.grid().getAsInt() != GenerationRequest.GRID) {
      throw new PrefsException(
          "grid must be 1 (one image) or "
              + GenerationRequest.GRID
              + " (a contact sheet), got "
              + change.grid().getAsInt()
              + ".");
    }
    return new UserPrefs(model, strategy, change.steps(), change.grid());
  }

  /** The manifest's spelling of {@code typed}, if the scope allows it. */
  private String knownModel(String typed, ScopeSettings rules) {
    String model =
        models.stream()
            .filter(m -> m.equalsIgnoreCase(typed))
            .findFirst()
            .orElseThrow(
                () ->
                    new PrefsException(
                        "There is no model called "
                            + typed
                            + "; models: "
                            + String.join(", ", new TreeSet<>(models))
                            + "."));
    if (!rules.allowsModel(model)) {
      throw new PrefsException(
          "The model "
              + model
              + " is not allowed on this server; allowed: "
              + String.join(", ", rules.models())
              + ".");
    }
    return model;
  }

  private static boolean mine(Job job, Requester requester) {
    return job.userId().equals(requester.userId()) && job.scopeId().equals(requester.scopeId());
  }

  /**
   * Cancels a request for its requester or a moderator.
   *
   * <p>A requester who shares a job with others (identical requests) only leaves it: the others
   * still get their image. A moderator, or the last listener, cancels the job itself; a running job
   * stops at its next step.
   */
  public CancelResult cancel(JobId id, String requesterId, boolean moderator) {
    boolean listening = subscriptions.listensTo(id, requesterId);
    if (!moderator && listening && subscriptions.sharedWithOthers(id, requesterId)) {
      boolean queued = queue.position(id) > 0;
      subscriptions.leave(id, requesterId);
      return queued ? CancelResult.CANCELLED_QUEUED : CancelResult.CANCELLED_RUNNING;
    }
    CancelResult result = queue.cancel(id, requesterId, moderator || listening);
    if (result == CancelResult.CANCELLED_QUEUED) {
      subscriptions.cancelledWhileQueued(id);
    } else if (result == CancelResult.CANCELLED_RUNNING) {
      worker.cancel(id);
    }
    return result;
  }

  /**
   * Whether {@code actor} may delete the reply whose buttons carry {@code ref}, in {@code scopeId}:
   * its requester may, and so may a moderator of the scope. The adapter deletes the message; the
   * reference stays until it expires, and the cached image stays unless a moderator purges it
   * ({@link ModerationService#purge}). A reference too old to say who asked leaves the choice to
   * moderators.
   *
   * @throws JobStoreException when the database cannot be read
   */
  public Deletion delete(String ref, Actor actor, String scopeId) {
    Objects.requireNonNull(actor, "actor");
    Optional<ActionRefs.Entry> entry = ref == null ? Optional.empty() : refs.entry(ref);
    String askedIn = entry.map(ActionRefs.Entry::scopeId).orElse(null);
    if (askedIn != null && !askedIn.equals(scopeId)) {
      return new Deletion.Refused(Deletion.NOT_YOURS); // another scope's reply: not decided here
    }
    String requesterId = entry.map(ActionRefs.Entry::requesterId).orElse(null);
    boolean requester = actor.userId().equals(requesterId);
    if (!requester && !actor.moderator()) {
      return new Deletion.Refused(
          requesterId != null
              ? Deletion.NOT_YOURS
              : "The bot no longer knows who asked for this image (it is too old), so only a"
                  + " moderator can delete it.");
    }
    LOG.info(
        "{} {} deletes the reply of ref {} in {}",
        requester ? "requester" : "moderator",
        actor.userId(),
        ref,
        scopeId);
    return new Deletion.Allowed(actor.moderator() && entry.isPresent());
  }

  /**
   * Removes the image of {@code request} from the result cache (memory and disk); true when it was
   * there. For {@link ModerationService#purge}, which checks the right to.
   */
  boolean evict(GenerationRequest request) {
    return runner.evict(request);
  }

  /** Hands on everything, the finished PNG with the parent's job in its provenance. */
  private record ParentStamping(JobListener listener, String parentJob) implements JobListener {

    static CachedImage stamped(CachedImage image, String parentJob) {
      return image.withPng(Provenance.withParentJob(image.png(), parentJob));
    }

    @Override
    public void queued(int position) {
      listener.queued(position);
    }

    @Override
    public void started() {
      listener.started();
    }

    @Override
    public void progress(Progress progress) {
      listener.progress(progress);
    }

    @Override
    public void finished(CachedImage image, boolean cached) {
      listener.finished(stamped(image, parentJob), cached);
    }

    @Override
    public void failed(String message) {
      listener.failed(message);
    }

    @Override
    public void cancelled() {
      listener.cancelled();
    }
  }

  private static JobAttachment both(JobAttachment first, JobAttachment second) {
    return new JobAttachment() {
      @Override
      public void store(Connection connection, JobId job) throws SQLException {
        first.store(connection, job);
        second.store(connection, job);
      }

      @Override
      public void withdraw(Connection connection, JobId job) throws SQLException {
        second.withdraw(connection, job);
        first.withdraw(connection, job);
      }
    };
  }

  /**
   * How the image of {@code request} is made: what its PNG records (the request, this bot's model
   * files and engine settings), for an Info button.
   */
  public ImageInfo imageInfo(GenerationRequest request) {
    return ImageInfo.of(runner.provenance(request));
  }

  private static Refusal refusal(Admission.Refused refused) {
    return switch (refused.reason()) {
      case QUEUE_FULL -> Refusal.of(RefusalKind.QUEUE_FULL, refused.message());
      case USER_QUEUE_FULL -> Refusal.of(RefusalKind.USER_QUEUE_FULL, refused.message());
      case STORE_UNAVAILABLE -> storeUnavailable(refused.message());
    };
  }

  /** A database outage passes: a retry in a minute may well work. */
  private static Refusal storeUnavailable(String message) {
    return new Refusal(RefusalKind.STORE_UNAVAILABLE, message, Duration.ofMinutes(1));
  }

  private Optional<Refusal> checkModel(GenerationRequest request) {
    if (models.contains(request.model())) {
      return Optional.empty();
    }
    return Optional.of(
        Refusal.of(
            RefusalKind.UNKNOWN_MODEL,
            "There is no model called "
                + Echo.of(request.model())
                + "; models: "
                + String.join(", ", new TreeSet<>(models))
                + "."));
  }

  private Submission refused(Refusal refusal) {
    metrics.refused(refusal.kind().tag());
    return new Submission.Refused(refusal);
  }
}
