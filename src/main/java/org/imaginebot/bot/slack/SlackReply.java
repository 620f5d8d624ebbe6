package org.imaginebot.bot.slack;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.JobTimes;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One /imagine in a channel: hears the job and keeps one message up to date, paced by an {@link
 * EditPacer}. The first state posts the message ({@code chat.postMessage}); later states update it
 * ({@code chat.update}); the finished image is uploaded into the message's thread. The post goes
 * through the pacer too, so no two calls for one message are closer than the interval.
 */
final class SlackReply implements JobListener {

  private static final Logger LOG = LoggerFactory.getLogger(SlackReply.class);

  /** chat.postMessage's answers when the bot may not post in the channel. */
  private static final Set<String> NOT_A_MEMBER =
      Set.of("not_in_channel", "channel_not_found", "is_archived");

  private final SlackApi api;
  private final String channel;
  private final GenerationRequest request;
  private final String ref;
  private final EditPacer<SlackState> pacer;
  private final JobTimes jobTimes;
  private final ScheduledExecutorService executor;
  private final String note;
  private final Unreachable unreachable;
  private volatile boolean gaveUp;

  /** What to do when the bot cannot post in the channel (it is not a member). */
  interface Unreachable {
    /** Tell the requester how to invite the bot, and stop the job: nobody would see its image. */
    void giveUp(JobId job);
  }

  private volatile JobId job;
  private volatile boolean heard;
  private volatile long startedNanos = System.nanoTime();
  private volatile String
      ts; // the message, once posted; only the pacer's one call in flight touches it

  /**
   * @param ref what the message's Re-roll and Variations buttons carry
   * @param executor runs the blocking Web API calls, never on Bolt's request thread
   * @param note a line (Slack markup) above every state, e.g. for whom a resumed job is; null for
   *     none
   * @param unreachable called once when the channel refuses the bot's message
   */
  SlackReply(
      SlackApi api,
      String channel,
      GenerationRequest request,
      String ref,
      EditPacer<SlackState> pacer,
      JobTimes jobTimes,
      ScheduledExecutorService executor,
      String note,
      Unreachable unreachable) {
    this.api = Objects.requireNonNull(api, "api");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.request = Objects.requireNonNull(request, "request");
    this.ref = ref;
    this.pacer = Objects.requireNonNull(pacer, "pacer");
    this.jobTimes = Objects.requireNonNull(jobTimes, "jobTimes");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.note = note;
    this.unreachable = Objects.requireNonNull(unreachable, "unreachable");
  }

  /**
   * The submission was accepted: start posting. {@code position} shows until the job says more.
   *
   * @param jobId null for a cache hit (its image is already offered)
   */
  void begin(JobId jobId, int position) {
    this.job = jobId;
    if (!heard && jobId != null) {
      pacer.offer(
          position > 0
              ? new SlackState.Queued(position, jobTimes.queueEta(position))
              : new SlackState.Running(0, request.steps(), 0, Duration.ZERO));
    }
    pacer.start(this::deliver);
  }

  @Override
  public void queued(int position) {
    heard = true;
    pacer.offer(new SlackState.Queued(position, jobTimes.queueEta(position)));
  }

  @Override
  public void started() {
    heard = true;
    startedNanos = System.nanoTime();
  }

  @Override
  public void progress(Progress progress) {
    heard = true;
    long elapsed = System.nanoTime() - startedNanos;
    Duration eta =
        Duration.ofNanos(
            elapsed / Math.max(1, progress.step()) * (progress.total() - progress.step()));
    pacer.offer(new SlackState.Running(progress.step(), progress.total(), progress.loss(), eta));
  }

  @Override
  public void finished(CachedImage image, boolean cached) {
    heard = true;
    if (!cached) {
      jobTimes.record(Duration.ofMillis(image.generationMillis()));
    }
    pacer.offer(new SlackState.Finished(image, cached));
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
    attempt(state, new boolean[] {false}, done);
    return done.whenComplete(
        (ok, error) -> {
          if (error != null) {
            LOG.warn(
                "updating the Slack message of job {} in channel {} failed ({})",
                job,
                channel,
                error.getMessage());
          }
        });
  }

  /**
   * One try at showing {@code state}. A 429 waits its Retry-After and tries again (what was already
   * done, the post or the upload, is not repeated); the pacer sends nothing else meanwhile.
   */
  private void attempt(SlackState state, boolean[] uploaded, CompletableFuture<Void> done) {
    executor.execute(
        () -> {
          if (gaveUp) {
            done.complete(null);
            return;
          }
          try {
            SlackMessages.Rendered message =
                SlackMessages.withNote(note, SlackMessages.render(state, request, job, ref));
            boolean first = ts == null;
            if (first) {
              ts = api.post(channel, message);
            }
            if (state instanceof SlackState.Finished f && !uploaded[0]) {
              api.uploadPng(
                  channel,
                  ts,
                  "imagine-" + f.image().seed() + ".png",
                  SlackText.truncate(request.describePrompt(), 200),
                  f.image().png());
              uploaded[0] = true;
            }
            if (!first) {
              api.update(channel, ts, message);
            }
            done.complete(null);
          } catch (SlackApi.RateLimitedException e) {
            LOG.info(
                "Slack rate-limited job {}'s message ({}); trying again then", job, e.getMessage());
            executor.schedule(
                () -> attempt(state, uploaded, done),
                e.retryAfter().toMillis(),
                TimeUnit.MILLISECONDS);
          } catch (SlackApi.SlackCallException e) {
            if (ts == null && NOT_A_MEMBER.contains(e.error())) {
              gaveUp = true;
              LOG.info(
                  "the bot is not in channel {} ({}); job {} is given up", channel, e.error(), job);
              unreachable.giveUp(job);
              done.complete(null);
            } else {
              done.completeExceptionally(e);
            }
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
  }
}
