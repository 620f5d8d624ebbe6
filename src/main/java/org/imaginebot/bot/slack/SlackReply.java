package org.imaginebot.bot.slack;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.imaginebot.bot.ActionRefs;
import org.imaginebot.bot.EditBudget;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.JobTimes;
import org.imaginebot.bot.Parent;
import org.imaginebot.bot.RunWatch;
import org.imaginebot.bot.Timelapses;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.Echo;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One /imagine in a channel: hears the job and keeps one message up to date, paced by an {@link
 * EditPacer}. The first state posts the message ({@code chat.postMessage}); later states update it
 * ({@code chat.update}), showing the newest preview (a file shared nowhere, in an image block; the
 * one it replaces is deleted, so previews do not pile up in the workspace's files); the finished
 * image is uploaded into the message's thread. The post goes through the pacer too, so no two calls
 * for one message are closer than the interval.
 *
 * <p>Updates that are not final (queue position, progress) share the workspace's {@link
 * EditBudget}: over it, the message waits its turn and then shows its newest state (the pacer keeps
 * only that). Final states and the first post take no permit, and final states run on their own
 * executor, so an image (a cache hit's too) never waits behind other messages' progress.
 *
 * <p>When the bot is not a member of the channel, the requester alone follows the job through the
 * command's {@code response_url}: Slack takes at most {@value #RESPONSE_URL_POSTS} posts there in
 * 30 minutes, so progress goes out at most every {@link #RESPONSE_URL_SPACING}, one post stays kept
 * for the image, and each says how to invite the bot. Without a {@code response_url} (a form, a
 * resumed job) the job is given up.
 */
final class SlackReply implements JobListener {

  private static final Logger LOG = LoggerFactory.getLogger(SlackReply.class);

  /** chat.postMessage's answers when the bot may not post in the channel. */
  private static final Set<String> NOT_A_MEMBER =
      Set.of("not_in_channel", "channel_not_found", "is_archived");

  /** Slack's limit of posts to one {@code response_url} (within 30 minutes). */
  static final int RESPONSE_URL_POSTS = 5;

  /** Least time between two progress posts to a {@code response_url}. */
  static final Duration RESPONSE_URL_SPACING = Duration.ofSeconds(10);

  /** What to do when the bot cannot post in the channel and there is no response_url to use. */
  interface Unreachable {
    /** Stop the job (nobody would see its image) and tell whoever can be told. */
    void giveUp(JobId job);
  }

  /** Where the replies go and how to say the bot is missing from the channel. */
  record Target(String channel, String responseUrl, String inviteHint) {
    Target {
      Objects.requireNonNull(channel, "channel");
    }
  }

  private final SlackApi api;
  private final Target target;
  private final GenerationRequest request;
  private final ActionRefs.Pending ref;
  private final EditPacer<SlackState> pacer;
  private final JobTimes jobTimes;
  private final Timelapses timelapses;
  private final ThreadFiles threadFiles;
  private final ScheduledExecutorService updates;
  private final ScheduledExecutorService finals;
  private final EditBudget budget;
  private final String note;
  private final Unreachable unreachable;
  private final RunWatch run = new RunWatch(System::nanoTime);
  private final Parent parent;
  private final String parentTs;
  private volatile Parent linkedParent; // parent with its permalink, once asked for

  private volatile JobId job;
  private volatile boolean heard;
  // Touched only by the pacer's one call in flight:
  private volatile String ts; // the channel message, once posted
  private volatile String shownPreviewFile; // the preview file the message shows now
  private volatile byte[] shownPreview;
  private volatile boolean gaveUp;
  private volatile boolean viaResponseUrl; // the bot is not in the channel
  private volatile int responsePosts;
  private volatile long lastResponseNanos;

  /**
   * @param ref what the message's Re-roll, Variations, Timelapse, Info and Delete buttons carry,
   *     stored when first asked for ({@link org.imaginebot.bot.ActionRefs#onDemand}): once the
   *     submission is accepted; null from it: none
   * @param threadFiles where the image uploaded into the thread is noted, for Delete
   * @param updates runs the blocking Web API calls of states that are not final, never on Bolt's
   *     request thread
   * @param finals runs those of final states (image, failure, cancel): never behind {@code updates}
   * @param budget the workspace's budget of updates that are not final (chat.update)
   * @param note a line (Slack markup) above every state, e.g. for whom a resumed job is; null for
   *     none
   * @param unreachable called once when the channel refuses the bot and there is no response_url
   * @param parent the image a button made this one from (its link is asked for at the end); null
   *     for none
   * @param parentTs the parent's message in the same channel, for {@code chat.getPermalink}
   */
  SlackReply(
      SlackApi api,
      Target target,
      GenerationRequest request,
      ActionRefs.Pending ref,
      EditPacer<SlackState> pacer,
      JobTimes jobTimes,
      Timelapses timelapses,
      ThreadFiles threadFiles,
      ScheduledExecutorService updates,
      ScheduledExecutorService finals,
      EditBudget budget,
      String note,
      Unreachable unreachable,
      Parent parent,
      String parentTs) {
    this.parent = parent;
    this.parentTs = parentTs;
    this.threadFiles = Objects.requireNonNull(threadFiles, "threadFiles");
    this.api = Objects.requireNonNull(api, "api");
    this.target = Objects.requireNonNull(target, "target");
    this.request = Objects.requireNonNull(request, "request");
    this.ref = Objects.requireNonNull(ref, "ref");
    this.pacer = Objects.requireNonNull(pacer, "pacer");
    this.jobTimes = Objects.requireNonNull(jobTimes, "jobTimes");
    this.timelapses = Objects.requireNonNull(timelapses, "timelapses");
    this.updates = Objects.requireNonNull(updates, "updates");
    this.finals = Objects.requireNonNull(finals, "finals");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.note = note;
    this.unreachable = Objects.requireNonNull(unreachable, "unreachable");
  }

  /**
   * The submission was accepted: start posting. {@code position} shows until the job says more.
   *
   * @param jobId null for a cache hit (its image is already offered)
   */
  void begin(JobId jobId, int position) {
    if (jobId != null) {
      ref.madeBy(jobId); // a Re-roll of this image names that job as its parent
    }
    ref.get(); // accepted: the request behind the buttons is kept from now on
    this.job = jobId;
    if (!heard && jobId != null) {
      pacer.offer(
          position > 0
              ? new SlackState.Queued(position, jobTimes.queueEta(position))
              : new SlackState.Running(0, request.steps(), 0, Duration.ZERO, null));
    }
    pacer.gate(budget, this::isBudgetedUpdate);
    pacer.start(this::deliver);
  }

  /** A chat.update of a state that is not final: it takes a permit of the workspace's budget. */
  private boolean isBudgetedUpdate(SlackState state) {
    return !state.isFinal() && ts != null && !viaResponseUrl && !gaveUp;
  }

  @Override
  public void queued(int position) {
    heard = true;
    pacer.offer(new SlackState.Queued(position, jobTimes.queueEta(position)));
  }

  @Override
  public void started() {
    heard = true;
    run.started();
  }

  @Override
  public void progress(Progress progress) {
    heard = true;
    Duration eta = run.progress(progress);
    pacer.offer(
        new SlackState.Running(
            progress.step(), progress.total(), progress.loss(), eta, run.lastPreview()));
  }

  @Override
  public void finished(CachedImage image, boolean cached) {
    heard = true;
    if (!cached) {
      jobTimes.record(Duration.ofMillis(image.generationMillis()));
    }
    boolean withTimelapse = run.keepTimelapse(timelapses, ref.get(), image.png());
    pacer.offer(new SlackState.Finished(image, cached, withTimelapse));
  }

  @Override
  public void failed(String message) {
    heard = true;
    pacer.offer(new SlackState.Failed(message));
  }

  @Override
  public void cancelled() {
    heard = true;
    pacer.offer(new SlackState.Cancelled());
  }

  private CompletableFuture<?> deliver(SlackState state) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    attempt(state, new Uploads(), done);
    return done.whenComplete(
        (ok, error) -> {
          if (error != null) {
            LOG.warn(
                "updating the Slack message of job {} in channel {} failed ({})",
                job,
                target.channel(),
                error.getMessage());
          }
        });
  }

  /** Files one delivery already uploaded, so a retry after a 429 does not upload them again. */
  private static final class Uploads {
    String preview;
    boolean finalImage;
    String finalImageFile;
  }

  /**
   * One try at showing {@code state}. A 429 waits its Retry-After and tries again (what was already
   * done, the post or an upload, is not repeated); the pacer sends nothing else meanwhile.
   */
  private void attempt(SlackState state, Uploads uploads, CompletableFuture<Void> done) {
    ScheduledExecutorService executor = state.isFinal() ? finals : updates;
    executor.execute(
        () -> {
          if (gaveUp) {
            done.complete(null);
            return;
          }
          try {
            if (viaResponseUrl) {
              respond(state, uploads);
            } else {
              showInChannel(state, uploads);
            }
            done.complete(null);
          } catch (SlackApi.RateLimitedException e) {
            LOG.info(
                "Slack rate-limited job {}'s message ({}); trying again then", job, e.getMessage());
            executor.schedule(
                () -> attempt(state, uploads, done),
                e.retryAfter().toMillis(),
                TimeUnit.MILLISECONDS);
          } catch (SlackApi.SlackCallException e) {
            if (ts == null && NOT_A_MEMBER.contains(e.error())) {
              deleteQuietly(uploads.preview);
              uploads.preview = null;
              notAMember(state, uploads, done, e.error());
            } else {
              done.completeExceptionally(e);
            }
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
  }

  private void showInChannel(SlackState state, Uploads uploads) {
    String previewFile = null;
    if (state instanceof SlackState.Running r && r.preview() != null) {
      if (r.preview() == shownPreview) {
        previewFile = shownPreviewFile;
      } else {
        if (uploads.preview == null) {
          uploads.preview =
              api.uploadUnshared("preview-step-" + r.step() + ".png", "preview", r.preview());
        }
        previewFile = uploads.preview;
      }
    }
    SlackMessages.Rendered message = rendered(state, previewFile, null);
    boolean first = ts == null;
    if (first) {
      ts = api.post(target.channel(), message);
    }
    if (state instanceof SlackState.Finished f && !uploads.finalImage) {
      String file =
          api.uploadFile(
              target.channel(),
              ts,
              "imagine-" + f.image().seed() + ".png",
              Echo.cut(request.describePrompt(), 200),
              f.image().png());
      uploads.finalImage = true;
      threadFiles.add(ref.get(), file);
    }
    if (!first) {
      api.update(target.channel(), ts, message);
    }
    String replaced = shownPreviewFile;
    shownPreviewFile = previewFile;
    shownPreview = state instanceof SlackState.Running r ? r.preview() : null;
    if (replaced != null && !replaced.equals(previewFile)) {
      deleteQuietly(replaced); // the message no longer shows it
    }
  }

  /** The channel refused the bot's first post: follow up through response_url, or give up. */
  private void notAMember(
      SlackState state, Uploads uploads, CompletableFuture<Void> done, String error) {
    if (target.responseUrl() == null) {
      gaveUp = true;
      LOG.info(
          "the bot is not in channel {} ({}); job {} is given up", target.channel(), error, job);
      unreachable.giveUp(job);
      done.complete(null);
      return;
    }
    LOG.info(
        "the bot is not in channel {} ({}); job {} is followed through its response_url",
        target.channel(),
        error,
        job);
    viaResponseUrl = true;
    attempt(state, uploads, done);
  }

  /**
   * Shows {@code state} through the response_url, within Slack's posts: a progress state is skipped
   * when one was sent less than {@link #RESPONSE_URL_SPACING} ago or only the image's post is left.
   */
  private void respond(SlackState state, Uploads uploads) {
    boolean last = state.isFinal();
    long now = System.nanoTime();
    if (!last
        && (responsePosts >= RESPONSE_URL_POSTS - 1
            || (responsePosts > 0 && now - lastResponseNanos < RESPONSE_URL_SPACING.toNanos()))) {
      return; // a newer state will come; the pacer keeps only the newest anyway
    }
    if (responsePosts >= RESPONSE_URL_POSTS) {
      LOG.warn("job {}: no response_url posts left for its final state", job);
      return;
    }
    String imageFile = null;
    if (state instanceof SlackState.Finished f) {
      if (uploads.finalImageFile == null) {
        uploads.finalImageFile =
            api.uploadUnshared(
                "imagine-" + f.image().seed() + ".png",
                Echo.cut(request.describePrompt(), 200),
                f.image().png());
      }
      imageFile = uploads.finalImageFile;
    }
    api.respond(
        target.responseUrl(), rendered(state, imageFile, target.inviteHint()), responsePosts > 0);
    responsePosts++;
    lastResponseNanos = now;
  }

  private SlackMessages.Rendered rendered(SlackState state, String imageFile, String hint) {
    SlackMessages.Rendered message =
        SlackMessages.render(state, request, job, ref.get(), imageFile, hint == null);
    if (state instanceof SlackState.Finished) {
      message = SlackMessages.withParent(message, linkedParent());
    }
    return SlackMessages.withNote(
        note, hint == null ? message : SlackMessages.withHint(message, hint));
  }

  /**
   * The parent with its permalink, asked for once (on the executor, as every Web API call); when
   * Slack refuses, the reply goes out without the link.
   */
  private Parent linkedParent() {
    if (parent == null || parentTs == null) {
      return parent;
    }
    if (linkedParent == null) {
      String link = null;
      try {
        link = api.permalink(target.channel(), parentTs);
      } catch (RuntimeException e) {
        LOG.warn(
            "no permalink for message {} in channel {} ({}); job {}'s reply goes out without the"
                + " link to its parent",
            parentTs,
            target.channel(),
            e.getMessage(),
            job);
      }
      linkedParent = parent.withLink(link);
    }
    return linkedParent;
  }

  private void deleteQuietly(String fileId) {
    if (fileId == null) {
      return;
    }
    try {
      api.deleteFile(fileId);
    } catch (RuntimeException e) {
      LOG.info(
          "could not delete replaced preview file {} of job {} ({})", fileId, job, e.getMessage());
    }
  }
}
