package org.imaginebot.bot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.imaginebot.limits.GpuShares;
import org.imaginebot.queue.CancelResult;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.settings.AuditEntry;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.ScopeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What moderators can do from chat, for both adapters: see their guild's queue, cancel a job, hold
 * and release their guild's jobs, read and change live settings, read the audit log, purge a
 * reply's image from the result cache.
 *
 * <p>Every call checks {@link Actor#moderator()} again, whatever the platform already checked, and
 * acts only within the moderator's own guild: one guild's moderators never see or touch another's
 * jobs. A bad setting name or value throws {@code SettingException} with a message for the user.
 */
public final class ModerationService {

  private static final Logger LOG = LoggerFactory.getLogger(ModerationService.class);

  private final JobQueue queue;
  private final ImagineService imagine;
  private final LiveSettings settings;
  private final GpuShares shares;
  private final ActionRefs refs;

  public ModerationService(
      JobQueue queue,
      ImagineService imagine,
      LiveSettings settings,
      GpuShares shares,
      ActionRefs refs) {
    this.refs = Objects.requireNonNull(refs, "refs");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.imagine = Objects.requireNonNull(imagine, "imagine");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.shares = Objects.requireNonNull(shares, "shares");
  }

  public QueueView queue(Actor actor, String scopeId) {
    require(actor, "see the queue");
    List<QueueView.Entry> running = new ArrayList<>();
    for (Job job : queue.running()) {
      if (job.scopeId().equals(scopeId)) {
        running.add(QueueView.Entry.of(job, 0));
      }
    }
    List<QueueView.Entry> waiting = new ArrayList<>();
    List<Job> all = queue.snapshot();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).scopeId().equals(scopeId)) {
        waiting.add(QueueView.Entry.of(all.get(i), i + 1));
      }
    }
    return new QueueView(shares.isPaused(scopeId), running, waiting);
  }

  /**
   * Cancels a job of the moderator's guild; another guild's job is {@link CancelResult#NOT_FOUND}.
   */
  public CancelResult cancel(Actor actor, String scopeId, JobId id) {
    require(actor, "cancel other people's jobs");
    if (find(id).filter(job -> job.scopeId().equals(scopeId)).isEmpty()) {
      return CancelResult.NOT_FOUND;
    }
    CancelResult result = imagine.cancel(id, actor.userId(), true);
    LOG.info("moderator {} of {} cancelled job {}: {}", actor.userId(), scopeId, id, result);
    return result;
  }

  /** Holds the guild's queued jobs; running ones finish. New requests are still queued. */
  public void pause(Actor actor, String scopeId) {
    require(actor, "pause the queue");
    shares.pause(scopeId);
    LOG.info("moderator {} paused the queue of {}", actor.userId(), scopeId);
  }

  public void resume(Actor actor, String scopeId) {
    require(actor, "resume the queue");
    shares.resume(scopeId);
    queue.recheck();
    LOG.info("moderator {} resumed the queue of {}", actor.userId(), scopeId);
  }

  public ScopeSettings settings(Actor actor, String scopeId) {
    require(actor, "see the settings");
    return settings.get(scopeId);
  }

  /** Changes a setting at once for the next request; persisted and audited. */
  public ScopeSettings set(Actor actor, String scopeId, String settingId, String value) {
    require(actor, "change settings");
    return settings.set(scopeId, settingId, value, actor.userId());
  }

  public ScopeSettings reset(Actor actor, String scopeId, String settingId) {
    require(actor, "change settings");
    return settings.reset(scopeId, settingId, actor.userId());
  }

  public List<AuditEntry> audit(Actor actor, String scopeId, int limit) {
    require(actor, "see the audit log");
    return settings.audit(scopeId, limit);
  }

  /**
   * Removes the image of the reply whose buttons carry {@code ref} from the result cache (memory
   * and disk), so the same request makes a new image; written to the log as an audit line. The
   * image is shared by every scope that asks for the same request, but only a moderator of the
   * scope where it was asked may purge it (another scope's reference is {@link
   * PurgeResult#NOT_FOUND}). In a cluster every node drops it from memory too (the purge is
   * announced through Redis).
   *
   * @throws org.imaginebot.queue.JobStoreException when the database cannot be read
   */
  public PurgeResult purge(Actor actor, String scopeId, String ref) {
    require(actor, "remove images from the cache");
    Optional<ActionRefs.Entry> entry = ref == null ? Optional.empty() : refs.entry(ref);
    if (entry.isEmpty()
        || (entry.get().scopeId() != null && !entry.get().scopeId().equals(scopeId))) {
      return PurgeResult.NOT_FOUND;
    }
    PurgeResult result =
        imagine.evict(entry.get().request()) ? PurgeResult.PURGED : PurgeResult.NOT_CACHED;
    LOG.info(
        "moderator {} of {} purged the cached image of ref {} (asked by {}, seed {}): {}",
        actor.userId(),
        scopeId,
        ref,
        entry.get().requesterId(),
        entry.get().request().seed(),
        result);
    return result;
  }

  private Optional<Job> find(JobId id) {
    return queue.running().stream()
        .filter(j -> j.id().equals(id))
        .findFirst()
        .or(() -> queue.snapshot().stream().filter(j -> j.id().equals(id)).findFirst());
  }

  private static void require(Actor actor, String what) {
    if (!actor.moderator()) {
      throw new NotAllowedException("Only moderators can " + what + ".");
    }
  }

  /**
   * What a moderator's cancel did, in words for chat.
   *
   * @param where the scope as the platform calls it, e.g. "on this server", "in this workspace"
   */
  public static String describe(CancelResult result, JobId id, String where) {
    return switch (result) {
      case CANCELLED_QUEUED -> "Cancelled job " + id + " (it was waiting).";
      case CANCELLED_RUNNING -> "Cancelled job " + id + "; it stops at its next step.";
      case NOT_FOUND -> "No job " + id + " is waiting or running " + where + ".";
      case NOT_ALLOWED -> "You may not cancel job " + id + ".";
    };
  }
}
