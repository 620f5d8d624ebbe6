package org.imaginebot.bot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.View;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.imaginebot.bot.ActionRefs;
import org.imaginebot.bot.Actor;
import org.imaginebot.bot.Deletion;
import org.imaginebot.bot.EditBudget;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.bot.FollowUpException;
import org.imaginebot.bot.FollowUps;
import org.imaginebot.bot.ImagineService;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.JobTimes;
import org.imaginebot.bot.ModerationService;
import org.imaginebot.bot.NotAllowedException;
import org.imaginebot.bot.Parent;
import org.imaginebot.bot.Requester;
import org.imaginebot.bot.Submission;
import org.imaginebot.bot.Timelapses;
import org.imaginebot.bot.UserInfoText;
import org.imaginebot.incident.Incident;
import org.imaginebot.queue.CancelResult;
import org.imaginebot.queue.JobId;
import org.imaginebot.render.Gif;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.RequestParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /imagine <prompt>} and the buttons on its messages. The text is the core's prompt language
 * ({@link RequestParser}); it is checked and submitted before the command is acknowledged (all in
 * memory, well inside Slack's 3 s): a refusal is the ephemeral acknowledgement; an accepted job
 * gets a channel message that {@link SlackReply} keeps up to date, posted off the request thread.
 */
final class ImagineCommand {

  static final String SOURCE = "slack";
  private static final Duration TIMELAPSE_FRAME_DELAY = Duration.ofMillis(120);

  /** Bigger GIFs are scaled down until they fit (Slack takes far more; chat clients lag). */
  private static final int TIMELAPSE_MAX_BYTES = 10 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(ImagineCommand.class);

  private final ImagineService imagine;
  private final ModerationService moderation;
  private final SlackApi api;
  private final ScheduledExecutorService scheduler; // replies and final states
  private final ScheduledExecutorService updates; // updates that are not final
  private final Duration minUpdateInterval;
  private final int maxUpdatesPerMinute;

  /** Each workspace's budget of chat.update for states that are not final (rate tier 3). */
  private final Map<String, EditBudget> budgets = new ConcurrentHashMap<>();

  private final JobTimes jobTimes;
  private final Moderators moderators;
  private final Set<String> models;
  private final String botName;

  /** Requests behind Re-roll, Variations and Timelapse, in the database: they outlive restarts. */
  private final ActionRefs refs;

  /** The previews of finished runs, in memory: after a restart Timelapse says they are gone. */
  private final Timelapses timelapses = new Timelapses();

  /** The files in each reply's thread, in memory, for Delete. */
  private final ThreadFiles threadFiles = new ThreadFiles();

  ImagineCommand(
      ImagineService imagine,
      ModerationService moderation,
      SlackApi api,
      ScheduledExecutorService scheduler,
      ScheduledExecutorService updates,
      Duration minUpdateInterval,
      int maxUpdatesPerMinute,
      JobTimes jobTimes,
      Moderators moderators,
      Set<String> models,
      String botName,
      ActionRefs refs) {
    this.refs = refs;
    this.imagine = imagine;
    this.moderation = moderation;
    this.api = api;
    this.scheduler = scheduler;
    this.updates = updates;
    this.minUpdateInterval = minUpdateInterval;
    this.maxUpdatesPerMinute = maxUpdatesPerMinute;
    this.jobTimes = jobTimes;
    this.moderators = moderators;
    this.models = Set.copyOf(models);
    this.botName = botName;
  }

  /**
   * What every button press carries: its value (a request ref or a job id), who pressed it, and in
   * which channel (null when Slack sends none).
   */
  private record Press(String value, String user, String channel) {
    static Press of(BlockActionRequest req) {
      var payload = req.getPayload();
      return new Press(
          payload.getActions().get(0).getValue(),
          payload.getUser().getId(),
          payload.getChannel() == null ? null : payload.getChannel().getId());
    }
  }

  Response onCommand(SlashCommandRequest req, SlashCommandContext ctx) {
    SlashCommandPayload payload = req.getPayload();
    String text = payload.getText() == null ? "" : payload.getText().strip();
    if (text.isEmpty()) { // the form, opened off the request thread (the trigger is valid 3 s)
      String trigger = payload.getTriggerId();
      View form = ImagineModal.view(payload.getChannelId(), models);
      scheduler.execute(
          () -> {
            try {
              api.openView(trigger, form);
            } catch (RuntimeException e) {
              LOG.warn("opening the /imagine form failed ({})", e.getMessage());
              tell(
                  payload.getChannelId(),
                  payload.getUserId(),
                  "The form could not be opened; type the prompt instead: `/imagine a lighthouse at dusk --steps 60`");
            }
          });
      return ctx.ack();
    }
    Requester requester =
        new Requester(payload.getUserId(), payload.getTeamId(), payload.getChannelId(), SOURCE);
    GenerationRequest request;
    try { // the core's prompt language; the user's saved defaults fill what it leaves out
      request =
          imagine.resolve(
              requester, RequestParser.parse(text), ThreadLocalRandom.current()::nextLong);
    } catch (IllegalArgumentException e) { // RequestException and the prompt parser's own
      return ephemeral(ctx, SlackText.escape(e.getMessage()));
    }
    ActionRefs.Pending ref =
        refs.onDemand(request, requester); // stored once accepted: none for a refusal
    SlackReply reply = newReply(requester, request, ref, payload.getResponseUrl());
    Submission submission =
        imagine.submit(requester, request, reply, () -> moderators.isModerator(requester.userId()));
    if (submission instanceof Submission.Refused refused) {
      return ephemeral(ctx, SlackText.escape(refused.refusal().message()));
    }
    begin(reply, submission);
    return ctx.ack();
  }

  /** {@code /imagine-info}: only the asker sees it. */
  Response onInfo(SlashCommandRequest req, SlashCommandContext ctx) {
    SlashCommandPayload payload = req.getPayload();
    Requester requester =
        new Requester(payload.getUserId(), payload.getTeamId(), payload.getChannelId(), SOURCE);
    return ephemeral(
        ctx, UserInfoText.render(imagine.info(requester), "in this workspace", SlackText::escape));
  }

  /**
   * The form's submission: errors go back onto their fields; an accepted job is posted in the
   * channel.
   */
  Response onFormSubmitted(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
    var payload = req.getPayload();
    String channel = payload.getView().getPrivateMetadata();
    Requester requester =
        new Requester(
            payload.getUser().getId(),
            payload.getTeam().getId(),
            channel == null || channel.isBlank() ? null : channel,
            SOURCE);
    if (requester.channelId() == null) {
      return ctx.ackWithErrors(
          Map.of(ImagineModal.PROMPT, "This form has no channel to post in; use /imagine in one."));
    }
    GenerationRequest request;
    try {
      request =
          ImagineModal.request(
              payload.getView().getState(),
              parsed -> imagine.resolve(requester, parsed, ThreadLocalRandom.current()::nextLong));
    } catch (ImagineModal.FieldError e) {
      return ctx.ackWithErrors(Map.of(e.field, e.getMessage()));
    }
    ActionRefs.Pending ref = refs.onDemand(request, requester);
    SlackReply reply =
        newReply(requester, request, ref, (String) null); // a form has no response_url
    Submission submission =
        imagine.submit(requester, request, reply, () -> moderators.isModerator(requester.userId()));
    if (submission instanceof Submission.Refused refused) {
      return ctx.ackWithErrors(Map.of(ImagineModal.PROMPT, refused.refusal().message()));
    }
    begin(reply, submission);
    return ctx.ack();
  }

  /** Makes a follow-up request of the image behind a button, given the workspace's step limit. */
  interface FollowUp {
    GenerationRequest make(GenerationRequest image, int maxSteps);
  }

  /**
   * "+N steps", "Try 4 seeds", Refine N, Vary N: what {@code followUp} makes of the image behind
   * the pressed button, submitted as its child; a stale button or one that does not fit the image
   * is answered to the presser alone.
   */
  Response onFollowUp(
      BlockActionRequest req, ActionContext ctx, Parent.Relation relation, FollowUp followUp) {
    var payload = req.getPayload();
    Press press = Press.of(req);
    if (press.channel() == null) {
      return ctx.ack();
    }
    ActionRefs.Entry entry = press.value() == null ? null : refs.entry(press.value()).orElse(null);
    if (entry == null) {
      tellLater(
          press.channel(),
          press.user(),
          "This image is too old for its buttons (they work for a week); run /imagine again.");
      return ctx.ack();
    }
    String team = payload.getTeam().getId();
    GenerationRequest request;
    try {
      request = followUp.make(entry.request(), imagine.bounds(team).maxSteps());
    } catch (FollowUpException e) {
      tellLater(press.channel(), press.user(), SlackText.escape(e.getMessage()));
      return ctx.ack();
    }
    submit(
        new Requester(press.user(), team, press.channel(), SOURCE),
        request,
        payload.getResponseUrl(),
        new Parent(relation, entry.jobId(), null),
        payload.getContainer() == null ? null : payload.getContainer().getMessageTs());
    return ctx.ack();
  }

  /** Edit prompt: opens the form prefilled with the image's prompt, off the request thread. */
  Response onRepromptButton(BlockActionRequest req, ActionContext ctx) {
    var payload = req.getPayload();
    Press press = Press.of(req);
    if (press.channel() == null || press.value() == null) {
      return ctx.ack();
    }
    String trigger = payload.getTriggerId();
    String ts = payload.getContainer() == null ? null : payload.getContainer().getMessageTs();
    scheduler.execute(
        () -> {
          Optional<GenerationRequest> request = refs.find(press.value());
          if (request.isEmpty()) {
            tell(
                press.channel(),
                press.user(),
                "This image is too old to re-prompt here (buttons work for a week); run /imagine again.");
          } else if (!FollowUps.continuable(request.get())) {
            tell(
                press.channel(),
                press.user(),
                "Only images made with the adam strategy can be re-prompted; a contact sheet's"
                    + " Refine buttons go on from one of its candidates.");
          } else {
            try {
              api.openView(
                  trigger,
                  RepromptModal.view(
                      request.get(), new RepromptModal.Target(press.channel(), ts, press.value())));
            } catch (RuntimeException e) {
              LOG.warn("opening the Edit prompt form failed ({})", e.getMessage());
              tell(
                  press.channel(),
                  press.user(),
                  "The form could not be opened; press Edit prompt again.");
            }
          }
        });
    return ctx.ack();
  }

  /**
   * The Edit prompt form's submission: the new prompt goes on from the image's run; a prompt that
   * does not parse, or a refusal, goes back onto the field.
   */
  Response onRepromptSubmitted(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
    var payload = req.getPayload();
    Optional<RepromptModal.Target> target =
        RepromptModal.Target.of(payload.getView().getPrivateMetadata());
    ActionRefs.Entry entry = target.flatMap(t -> refs.entry(t.ref())).orElse(null);
    if (entry == null) {
      return ctx.ackWithErrors(
          Map.of(
              RepromptModal.PROMPT,
              "This image is too old to re-prompt (buttons work for a week); run /imagine again."));
    }
    String team = payload.getTeam().getId();
    GenerationRequest request;
    try {
      request =
          FollowUps.reprompted(
              entry.request(),
              PromptParser.parse(RepromptModal.prompt(payload.getView().getState()).orElse("")),
              imagine.bounds(team).maxSteps());
    } catch (IllegalArgumentException | FollowUpException e) {
      return ctx.ackWithErrors(Map.of(RepromptModal.PROMPT, e.getMessage()));
    }
    Requester requester =
        new Requester(payload.getUser().getId(), team, target.get().channel(), SOURCE);
    Parent parent = new Parent(Parent.Relation.REPROMPT, entry.jobId(), null);
    SlackReply reply =
        newReply(
            requester,
            request,
            refs.onDemand(request, requester),
            null, // a form has no response_url
            null,
            notAMember(requester),
            parent,
            target.get().messageTs());
    Submission submission =
        imagine.submit(
            requester, request, reply, () -> moderators.isModerator(requester.userId()), parent);
    if (submission instanceof Submission.Refused refused) {
      return ctx.ackWithErrors(Map.of(RepromptModal.PROMPT, refused.refusal().message()));
    }
    begin(reply, submission);
    return ctx.ack();
  }

  /**
   * The run's previews as a GIF in the message's thread, made off the request thread; after a
   * restart (or a day) the frames are gone and the presser is told so.
   */
  Response onTimelapse(BlockActionRequest req, ActionContext ctx) {
    var payload = req.getPayload();
    Press press = Press.of(req);
    String ref = press.value();
    String user = press.user();
    String channel = press.channel();
    if (channel == null) {
      return ctx.ack();
    }
    Optional<List<byte[]>> frames = ref == null ? Optional.empty() : timelapses.get(ref);
    if (frames.isEmpty()) {
      tellLater(
          channel,
          user,
          "The previews of this image are gone (they are kept in memory for a day, and the bot may"
              + " have restarted since); Re-roll to make a new one.");
      return ctx.ack();
    }
    String thread = payload.getContainer() == null ? null : payload.getContainer().getMessageTs();
    scheduler.execute(
        () -> {
          try {
            byte[] gif = Gif.timelapse(frames.get(), TIMELAPSE_FRAME_DELAY, TIMELAPSE_MAX_BYTES);
            threadFiles.add(
                ref, api.uploadFile(channel, thread, "timelapse.gif", "Timelapse", gif));
          } catch (RuntimeException e) {
            tell(
                channel,
                user,
                Incident.report(LOG, "timelapse of reply " + ref + " failed", e)
                    .userMessage("making the timelapse"));
          }
        });
    return ctx.ack();
  }

  /** How the image was made, for the presser only; looked up and posted off the request thread. */
  Response onInfo(BlockActionRequest req, ActionContext ctx) {
    Press press = Press.of(req);
    String ref = press.value();
    String user = press.user();
    String channel = press.channel();
    if (channel == null) {
      return ctx.ack();
    }
    scheduler.execute(
        () -> {
          String answer;
          try {
            Optional<GenerationRequest> request = ref == null ? Optional.empty() : refs.find(ref);
            answer =
                request.isEmpty()
                    ? "This image is too old for its details here (buttons work for a week); the"
                        + " PNG itself still records them."
                    : SlackMessages.info(imagine.imageInfo(request.get()));
          } catch (RuntimeException e) { // the database is down, say
            answer =
                Incident.report(LOG, "details of reply " + ref + " failed", e)
                    .userMessage("reading this image's details");
          }
          tell(channel, user, answer);
        });
    return ctx.ack();
  }

  /**
   * Deletes the message the button is on, with the files the bot put in its thread, when the core
   * says the presser may; decided and done off the request thread (the moderator check may ask
   * {@code users.info}). A moderator is then offered, alone, to purge its image from the cache.
   */
  Response onDelete(BlockActionRequest req, ActionContext ctx) {
    var payload = req.getPayload();
    Press press = Press.of(req);
    String ts = payload.getContainer() == null ? null : payload.getContainer().getMessageTs();
    if (press.channel() == null || ts == null) {
      return ctx.ack();
    }
    String team = payload.getTeam().getId();
    scheduler.execute(() -> delete(press, team, ts));
    return ctx.ack();
  }

  private void delete(Press press, String team, String ts) {
    String ref = press.value();
    String channel = press.channel();
    String user = press.user();
    Deletion decision;
    try {
      decision = imagine.delete(ref, new Actor(user, moderators.isModerator(user)), team);
    } catch (RuntimeException e) { // the database is down, say
      tell(
          channel,
          user,
          Incident.report(LOG, "deleting reply " + ref + " failed", e)
              .userMessage("deleting this image"));
      return;
    }
    if (decision instanceof Deletion.Refused refused) {
      tell(channel, user, SlackText.escape(refused.message()));
      return;
    }
    // The thread's files first, so the message goes without leaving "This message was deleted."
    List<String> files = threadFiles.take(ref);
    files.forEach(this::deleteFileQuietly);
    try {
      api.delete(channel, ts);
    } catch (RuntimeException e) {
      LOG.warn("deleting message {} in channel {} failed ({})", ts, channel, e.getMessage());
      tell(channel, user, "The bot could not delete this message; try again in a minute.");
      return;
    }
    if (files.isEmpty()) {
      tell(
          channel,
          user,
          "Deleted. The bot no longer knows which file in its thread is the image (it restarted"
              + " since), so that file stays; a workspace admin can delete it.");
    }
    if (((Deletion.Allowed) decision).offerPurge()) {
      try {
        api.ephemeral(channel, user, SlackMessages.purgeOffer(ref));
      } catch (RuntimeException e) {
        LOG.warn("offering a purge in channel {} failed ({})", channel, e.getMessage());
      }
    }
  }

  private void deleteFileQuietly(String fileId) {
    try {
      api.deleteFile(fileId);
    } catch (RuntimeException e) {
      LOG.warn("deleting file {} of a deleted reply failed ({})", fileId, e.getMessage());
    }
  }

  /** A moderator's purge from the offer shown after a delete; answered to them alone. */
  Response onPurge(BlockActionRequest req, ActionContext ctx) {
    Press press = Press.of(req);
    if (press.channel() == null) {
      return ctx.ack();
    }
    String team = req.getPayload().getTeam().getId();
    scheduler.execute(
        () -> {
          String answer;
          try {
            answer =
                moderation
                    .purge(
                        new Actor(press.user(), moderators.isModerator(press.user())),
                        team,
                        press.value())
                    .describe();
          } catch (NotAllowedException e) {
            answer = e.getMessage();
          } catch (RuntimeException e) {
            answer =
                Incident.report(LOG, "purging reply " + press.value() + " failed", e)
                    .userMessage("purging this image");
          }
          tell(press.channel(), press.user(), answer);
        });
    return ctx.ack();
  }

  Response onCancel(BlockActionRequest req, ActionContext ctx) {
    Press press = Press.of(req);
    String user = press.user();
    String channel = press.channel();
    String answer;
    try {
      CancelResult result =
          imagine.cancel(new JobId(press.value()), user, moderators.isModerator(user));
      answer =
          switch (result) {
            case CANCELLED_QUEUED, CANCELLED_RUNNING ->
                null; // the message itself says "Cancelled."
            case NOT_ALLOWED ->
                "Only the person who asked for this image or a moderator can cancel it.";
            case NOT_FOUND -> "This job has already finished.";
          };
    } catch (IllegalArgumentException e) {
      answer = "This job can no longer be cancelled.";
    }
    if (answer != null && channel != null) {
      tellLater(channel, user, answer);
    }
    return ctx.ack();
  }

  /** Submits a button's request; a refusal goes to the presser only. */
  private void submit(
      Requester requester,
      GenerationRequest request,
      String responseUrl,
      Parent parent,
      String parentTs) {
    SlackReply reply =
        newReply(
            requester,
            request,
            refs.onDemand(request, requester),
            responseUrl,
            null,
            notAMember(requester),
            parent,
            parentTs);
    Submission submission =
        imagine.submit(
            requester, request, reply, () -> moderators.isModerator(requester.userId()), parent);
    if (submission instanceof Submission.Refused refused) {
      tellLater(
          requester.channelId(), requester.userId(), SlackText.escape(refused.refusal().message()));
    } else {
      begin(reply, submission);
    }
  }

  private SlackReply newReply(
      Requester requester, GenerationRequest request, ActionRefs.Pending ref, String responseUrl) {
    return newReply(requester, request, ref, responseUrl, null, notAMember(requester));
  }

  private SlackReply newReply(
      Requester requester,
      GenerationRequest request,
      ActionRefs.Pending ref,
      String responseUrl,
      String note,
      SlackReply.Unreachable unreachable) {
    return newReply(requester, request, ref, responseUrl, note, unreachable, null, null);
  }

  private SlackReply newReply(
      Requester requester,
      GenerationRequest request,
      ActionRefs.Pending ref,
      String responseUrl,
      String note,
      SlackReply.Unreachable unreachable,
      Parent parent,
      String parentTs) {
    return new SlackReply(
        api,
        new SlackReply.Target(requester.channelId(), responseUrl, inviteHint()),
        request,
        ref,
        new EditPacer<>(scheduler, minUpdateInterval, System::nanoTime),
        jobTimes,
        timelapses,
        threadFiles,
        updates,
        scheduler,
        budgets.computeIfAbsent(
            requester.scopeId(),
            team ->
                new EditBudget(
                    maxUpdatesPerMinute, Duration.ofMinutes(1), System::nanoTime, scheduler)),
        note,
        unreachable,
        parent,
        parentTs);
  }

  /** How to let the bot post in a channel, for a requester who alone can see its answers. */
  private String inviteHint() {
    return "Only you can see this: I'm not a member of this channel. Invite me with `/invite @"
        + botName
        + "` (or add the app in the channel's settings > Integrations) to post images for everyone.";
  }

  /**
   * When the bot may not post in the channel and has no {@code response_url} to answer through (a
   * form): the job is cancelled, as nobody would see it.
   */
  private SlackReply.Unreachable notAMember(Requester requester) {
    return job -> {
      if (job != null) {
        imagine.cancel(job, requester.userId(), false);
      }
      LOG.warn(
          "the bot is not in channel {} and has no response_url to answer {} through; the job is cancelled",
          requester.channelId(),
          requester.userId());
    };
  }

  /**
   * A job asked for before a restart: its message is not ours any more, so a new one in the channel
   * where it was asked for, addressed to the requester; null (not delivered) without a channel.
   */
  JobListener resumed(Requester requester, GenerationRequest request) {
    if (requester.channelId() == null) {
      return null;
    }
    SlackReply reply =
        newReply(
            requester,
            request,
            refs.onDemand(request, requester),
            null,
            "<@"
                + requester.userId()
                + ">, this is the image you asked for before the bot restarted.",
            job ->
                LOG.warn(
                    "a job resumed after a restart finished, but the bot is not in channel {}; nothing posted",
                    requester.channelId()));
    reply.begin(null, 0);
    return reply;
  }

  private static void begin(SlackReply reply, Submission submission) {
    if (submission instanceof Submission.Queued queued) {
      reply.begin(queued.jobId(), queued.position());
    } else {
      reply.begin(null, 0); // a cache hit: the image is offered already
    }
  }

  private void tellLater(String channel, String user, String text) {
    scheduler.execute(() -> tell(channel, user, text));
  }

  private void tell(String channel, String user, String text) {
    try {
      api.ephemeral(channel, user, text);
    } catch (RuntimeException e) {
      LOG.warn("an ephemeral answer in channel {} failed ({})", channel, e.getMessage());
    }
  }

  private static Response ephemeral(SlashCommandContext ctx, String text) {
    return ctx.ack(r -> r.responseType("ephemeral").text(text));
  }
}
