package org.imaginebot.bot.discord;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InteractionExpiredException;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.JobTimes;
import org.imaginebot.bot.Parent;
import org.imaginebot.bot.RunWatch;
import org.imaginebot.bot.Timelapses;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One /imagine reply: hears the job and edits the deferred reply in place (queue position, then
 * previews, then the image), paced by an {@link EditPacer}.
 *
 * <p>The interaction token lives 15 minutes. Shortly before that (by our clock) the reply stops
 * editing, and the finished image goes out as a normal channel message that says why; if that is
 * not allowed either, the log says so.
 */
final class DiscordReply implements JobListener {

  private static final Logger LOG = LoggerFactory.getLogger(DiscordReply.class);

  /** Stop using the token this long before Discord does, so no edit races its expiry. */
  static final Duration TOKEN_MARGIN = Duration.ofSeconds(30);

  private final GenerationRequest request;
  private final Supplier<String> rerollRef;
  private final EditPacer<ReplyState> pacer;
  private final JobTimes jobTimes;
  private final Clock clock;
  private volatile JobId jobId;
  private volatile InteractionHook hook;
  private volatile MessageChannel channel;
  private volatile boolean expired;
  private final RunWatch run = new RunWatch(System::nanoTime);
  private final Timelapses timelapses;
  private final Parent parent;

  /**
   * @param parent the image a button made this one from, linked in the final embed; null for none
   */
  DiscordReply(
      GenerationRequest request,
      Supplier<String> rerollRef,
      EditPacer<ReplyState> pacer,
      JobTimes jobTimes,
      Timelapses timelapses,
      Clock clock,
      Parent parent) {
    this.parent = parent;
    this.timelapses = Objects.requireNonNull(timelapses, "timelapses");
    this.request = Objects.requireNonNull(request, "request");
    this.rerollRef = Objects.requireNonNull(rerollRef, "rerollRef");
    this.pacer = Objects.requireNonNull(pacer, "pacer");
    this.jobTimes = Objects.requireNonNull(jobTimes, "jobTimes");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The deferred reply exists: start editing it. */
  void attach(JobId job, InteractionHook replyHook, MessageChannel fallbackChannel) {
    this.jobId = job;
    this.hook = replyHook;
    this.channel = fallbackChannel;
    pacer.start(this::deliver);
  }

  @Override
  public void queued(int position) {
    pacer.offer(new ReplyState.Queued(position, jobTimes.queueEta(position)));
  }

  @Override
  public void started() {
    run.started();
  }

  @Override
  public void progress(Progress progress) {
    Duration eta = run.progress(progress);
    pacer.offer(
        new ReplyState.Running(
            progress.step(), progress.total(), progress.loss(), eta, run.lastPreview()));
  }

  @Override
  public void finished(CachedImage image, boolean cached) {
    if (!cached) {
      jobTimes.record(Duration.ofMillis(image.generationMillis()));
    }
    boolean withTimelapse = run.keepTimelapse(timelapses, rerollRef.get(), image.png());
    pacer.offer(new ReplyState.Finished(image, cached, withTimelapse));
  }

  @Override
  public void failed(String message) {
    pacer.offer(new ReplyState.Failed(message));
  }

  @Override
  public void cancelled() {
    pacer.offer(new ReplyState.Cancelled());
  }

  /**
   * Sends one state: an edit of the reply while its token lives, else the final image to the
   * channel.
   */
  private CompletableFuture<?> deliver(ReplyState state) {
    if (!expired && clock.millis() >= hook.getExpirationTimestamp() - TOKEN_MARGIN.toMillis()) {
      expired = true;
      LOG.info(
          "interaction token of job {} is about to expire; finishing in a channel message", jobId);
    }
    if (expired) {
      return state.isFinal() ? toChannel(state) : CompletableFuture.completedFuture(null);
    }
    MessageCreateData message =
        DiscordMessages.render(state, request, jobId, rerollRef.get(), parent);
    return hook.editOriginal(MessageEditData.fromCreateData(message))
        .submit()
        .handle(
            (ok, error) -> {
              if (error != null && isTokenGone(error)) {
                expired = true;
                return state.isFinal() ? toChannel(state) : CompletableFuture.completedFuture(null);
              }
              if (error != null) {
                throw error instanceof CompletionException c ? c : new CompletionException(error);
              }
              return CompletableFuture.completedFuture(ok);
            })
        .thenCompose(next -> next);
  }

  private CompletableFuture<?> toChannel(ReplyState state) {
    MessageCreateData message =
        state instanceof ReplyState.Finished f
            ? DiscordMessages.finished(
                f.image(),
                f.cached(),
                request,
                rerollRef.get(),
                "Your /imagine took longer than Discord lets a reply be edited (15 minutes), so here it is as a new message.",
                f.withTimelapse(),
                parent)
            : DiscordMessages.render(state, request, jobId, rerollRef.get(), parent);
    return channel
        .sendMessage(message)
        .submit()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                LOG.warn(
                    "job {} finished after its interaction expired, and posting in channel {} failed ({}); "
                        + "give the bot Send Messages and Attach Files there",
                    jobId,
                    channel.getId(),
                    error.toString());
              }
            });
  }

  private static boolean isTokenGone(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof InteractionExpiredException) {
      return true;
    }
    return cause instanceof ErrorResponseException e
        && (e.getErrorResponse() == ErrorResponse.INVALID_WEBHOOK_TOKEN
            || e.getErrorResponse() == ErrorResponse.UNKNOWN_WEBHOOK
            || e.getErrorResponse() == ErrorResponse.UNKNOWN_INTERACTION);
  }
}
