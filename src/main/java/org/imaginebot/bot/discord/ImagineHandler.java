package org.imaginebot.bot.discord;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.interactions.Interaction;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.modals.ModalMapping;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.MarkdownSanitizer;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.imaginebot.bot.ActionRefs;
import org.imaginebot.bot.Actor;
import org.imaginebot.bot.Deletion;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.bot.FollowUpException;
import org.imaginebot.bot.FollowUps;
import org.imaginebot.bot.ImagineService;
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
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ImagePrompt;
import org.imaginebot.request.ParsedRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.RequestException;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /imagine and the buttons on its replies. The request is checked and submitted before the
 * interaction is answered (a queued job once its row is committed, well inside Discord's 3 s), so a
 * refusal can be an ephemeral message, a cache hit the final image at once, and a queued job a
 * deferred reply that {@link DiscordReply} then edits. Runs on several event threads at once (see
 * {@link DiscordShards}): its state is the thread-safe core, the database and Caffeine.
 */
final class ImagineHandler {

  static final String SOURCE = "discord";
  private static final Logger LOG = LoggerFactory.getLogger(ImagineHandler.class);

  /** Discord's attachment limit for bots without boosts. */
  private static final long ATTACHMENT_LIMIT = 10L << 20;

  private static final Duration TIMELAPSE_FRAME_DELAY = Duration.ofMillis(120);

  private final ImagineService imagine;
  private final ModerationService moderation;

  /** Requests behind the buttons, by reference, in the database: they outlive a restart. */
  private final ActionRefs refs;

  private final ScheduledExecutorService scheduler;
  private final Duration minEditInterval;
  private final JobTimes jobTimes;
  private final Clock clock;

  /**
   * Preview frames stay in memory only: after a restart the Timelapse button says they are gone.
   */
  private final Timelapses timelapses = new Timelapses();

  ImagineHandler(
      ImagineService imagine,
      ModerationService moderation,
      ActionRefs refs,
      ScheduledExecutorService scheduler,
      Duration minEditInterval,
      JobTimes jobTimes,
      Clock clock) {
    this.imagine = imagine;
    this.moderation = moderation;
    this.refs = refs;
    this.scheduler = scheduler;
    this.minEditInterval = minEditInterval;
    this.jobTimes = jobTimes;
    this.clock = clock;
  }

  void onImagine(SlashCommandInteractionEvent event) {
    GenerationRequest request;
    try { // the member's saved defaults fill the model, strategy and steps they left out
      request =
          imagine.resolve(requester(event), parse(event), ThreadLocalRandom.current()::nextLong);
    } catch (IllegalArgumentException e) { // RequestException and the prompt parser's own
      event.reply(e.getMessage()).setEphemeral(true).queue();
      return;
    }
    OptionMapping image = event.getOption("image");
    if (image == null) {
      submit(event, request);
    } else {
      submitWithImage(event, request, image.getAsAttachment());
    }
  }

  /**
   * An attached image is downloaded after deferring (it may take longer than Discord's 3 s), then
   * the request goes the usual way; a refusal replaces the deferred reply with an ephemeral one.
   */
  private void submitWithImage(
      SlashCommandInteractionEvent event, GenerationRequest request, Message.Attachment image) {
    if (!image.isImage() || image.getSize() > ImagePrompt.MAX_BYTES) {
      event
          .reply(
              "The image must be a PNG or JPEG of at most "
                  + (ImagePrompt.MAX_BYTES >> 20)
                  + " MiB.")
          .setEphemeral(true)
          .queue();
      return;
    }
    event
        .deferReply()
        .queue(
            hook ->
                image
                    .getProxy()
                    .download()
                    .whenComplete(
                        (stream, error) -> {
                          if (error != null) {
                            LOG.warn(
                                "downloading the image prompt {} failed", image.getUrl(), error);
                            refuseDeferred(
                                hook,
                                "The attached image could not be downloaded from Discord; try again in a minute.");
                            return;
                          }
                          GenerationRequest withImage;
                          try (stream) {
                            byte[] png = Png.encode(Png.decode(stream.readAllBytes()));
                            withImage = request.withImages(List.of(new ImagePrompt(png, 1.0)));
                          } catch (IOException | RuntimeException e) {
                            refuseDeferred(hook, "The attachment is not a PNG or JPEG image.");
                            return;
                          }
                          submit(event, withImage, Answer.deferred(hook));
                        }));
  }

  /** Swaps the public "thinking" reply for a message only the requester sees. */
  private static void refuseDeferred(InteractionHook hook, String message) {
    hook.deleteOriginal()
        .queue(ok -> hook.sendMessage(message).setEphemeral(true).queue(), error -> {});
  }

  void onButton(ButtonInteractionEvent event, ButtonIds.Parsed id) {
    switch (id.action()) {
      case "reroll" ->
          followUp(
              event,
              id.ref(),
              Parent.Relation.REROLL,
              (image, maxSteps) ->
                  image.withSeed(ThreadLocalRandom.current().nextLong() >>> 11, false));
      // A variation keeps the seed and nudges its starting latents: close to the original, not the
      // same.
      case "vary" ->
          followUp(
              event,
              id.ref(),
              Parent.Relation.VARIATION,
              (image, maxSteps) ->
                  image.withVariation(
                      1 + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE - 1)));
      case "more" ->
          followUp(
              event,
              id.ref(),
              Parent.Relation.CONTINUATION,
              (request, maxSteps) -> FollowUps.continued(request, maxSteps));
      case "sheet" ->
          followUp(
              event,
              id.ref(),
              Parent.Relation.SHEET,
              (request, maxSteps) -> FollowUps.sheet(request));
      case "reprompt" -> openRepromptModal(event, id.ref());
      case "refine1", "refine2", "refine3", "refine4" -> {
        int n = id.action().charAt("refine".length()) - '0';
        followUp(
            event,
            id.ref(),
            Parent.Relation.REFINEMENT,
            (sheet, maxSteps) -> FollowUps.refine(sheet, n, maxSteps));
      }
      case "vary1", "vary2", "vary3", "vary4" -> {
        int n = id.action().charAt("vary".length()) - '0';
        followUp(
            event,
            id.ref(),
            Parent.Relation.VARIATION,
            (sheet, maxSteps) ->
                FollowUps.vary(
                    sheet, n, 1 + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE - 1)));
      }
      case "info" -> info(event, id.ref());
      case "cancel" -> cancel(event, id.ref());
      case "timelapse" -> timelapse(event, id.ref());
      case "delete" -> delete(event, id.ref());
      case "purge" -> purge(event, id.ref());
      default -> event.reply("This button is no longer supported.").setEphemeral(true).queue();
    }
  }

  /** Makes a follow-up request of the image behind {@code ref}, given the server's step limit. */
  private interface FollowUp {
    GenerationRequest make(GenerationRequest image, int maxSteps);
  }

  /**
   * Submits what {@code followUp} makes of the image behind the pressed button, as its child; an
   * image too old (its ref gone) or one the follow-up does not fit is answered to the presser
   * alone.
   */
  private void followUp(
      ButtonInteractionEvent event, String ref, Parent.Relation relation, FollowUp followUp) {
    ActionRefs.Entry entry = entry(event, ref).orElse(null);
    if (entry == null) {
      return;
    }
    GenerationRequest request;
    try {
      request = followUp.make(entry.request(), imagine.bounds(event.getGuild().getId()).maxSteps());
    } catch (FollowUpException e) {
      event.reply(e.getMessage()).setEphemeral(true).queue();
      return;
    }
    submit(event, request, parent(event, relation, entry));
  }

  /**
   * The request behind a button's {@code ref}; when it is gone ({@code queue.buttonTtl} passed),
   * the presser alone is told so, and it is empty.
   */
  private Optional<ActionRefs.Entry> entry(IReplyCallback event, String ref) {
    Optional<ActionRefs.Entry> entry = refs.entry(ref);
    if (entry.isEmpty()) {
      event
          .reply(
              "This image is too old for its buttons (they work for a week); run /imagine again.")
          .setEphemeral(true)
          .queue();
    }
    return entry;
  }

  /** Edit prompt: a modal prefilled with the image's prompt; its submission is {@link #onModal}. */
  private void openRepromptModal(ButtonInteractionEvent event, String ref) {
    ActionRefs.Entry entry = entry(event, ref).orElse(null);
    if (entry == null) {
      return;
    } else if (!FollowUps.continuable(entry.request())) {
      event
          .reply(
              "Only images made with the adam strategy can be re-prompted; a contact sheet's"
                  + " Refine buttons go on from one of its candidates.")
          .setEphemeral(true)
          .queue();
    } else {
      event.replyModal(DiscordMessages.repromptModal(entry.request(), ref)).queue();
    }
  }

  /**
   * The Edit prompt modal's submission: the new prompt goes on from the image's run; a prompt that
   * does not parse is answered to the presser alone, naming what is wrong.
   */
  void onModal(ModalInteractionEvent event, ButtonIds.Parsed id) {
    if (!"reprompt-modal".equals(id.action())) {
      event.reply("This form is no longer supported.").setEphemeral(true).queue();
      return;
    }
    ModalMapping field = event.getValue(DiscordMessages.REPROMPT_FIELD);
    ActionRefs.Entry entry = field == null ? null : entry(event, id.ref()).orElse(null);
    if (entry == null) {
      if (field == null) {
        event.reply("This form is no longer supported.").setEphemeral(true).queue();
      }
      return;
    }
    GenerationRequest request;
    try {
      request =
          FollowUps.reprompted(
              entry.request(),
              PromptParser.parse(field.getAsString()),
              imagine.bounds(event.getGuild().getId()).maxSteps());
    } catch (FollowUpException | RequestException e) {
      event.reply(e.getMessage()).setEphemeral(true).queue();
      return;
    } catch (IllegalArgumentException e) {
      event.reply("That prompt cannot be used: " + e.getMessage()).setEphemeral(true).queue();
      return;
    }
    String guild = event.getGuild().getId();
    Parent parent =
        new Parent(
            Parent.Relation.REPROMPT,
            entry.jobId(),
            event.getMessage() == null
                ? null
                : "https://discord.com/channels/"
                    + guild
                    + "/"
                    + event.getChannelId()
                    + "/"
                    + event.getMessage().getId());
    submit(event, request, parent);
  }

  /**
   * The message the pressed button is on, as the new image's parent: its job (when a job made it)
   * and its link, {@code @me} in place of a guild in DMs.
   */
  private static Parent parent(
      ButtonInteractionEvent event, Parent.Relation relation, ActionRefs.Entry entry) {
    String guild = event.isFromGuild() ? event.getGuild().getId() : "@me";
    return new Parent(
        relation,
        entry.jobId(),
        "https://discord.com/channels/"
            + guild
            + "/"
            + event.getChannelId()
            + "/"
            + event.getMessageId());
  }

  /**
   * Keeps the request behind a reply's buttons, and who asked; returns the reference they carry, or
   * null when the database cannot keep it (the reply then has no buttons).
   */
  String remember(GenerationRequest request, Requester requester) {
    return refs.remember(request, requester).orElse(null);
  }

  private DiscordReply newReply(GenerationRequest request, Supplier<String> ref, Parent parent) {
    return new DiscordReply(
        request,
        ref,
        new EditPacer<>(scheduler, minEditInterval, System::nanoTime),
        jobTimes,
        timelapses,
        clock,
        parent);
  }

  /** {@code /imagine-info}: only the asker sees it. */
  void onInfo(SlashCommandInteractionEvent event) {
    String text =
        UserInfoText.render(
            imagine.info(requester(event)), "on this server", MarkdownSanitizer::escape);
    event.reply(text).setEphemeral(true).queue();
  }

  private static Requester requester(IReplyCallback event) {
    return new Requester(
        event.getUser().getId(), event.getGuild().getId(), event.getChannelId(), SOURCE);
  }

  private void submit(IReplyCallback event, GenerationRequest request) {
    submit(event, request, Answer.immediate(event), null);
  }

  private void submit(IReplyCallback event, GenerationRequest request, Parent parent) {
    submit(event, request, Answer.immediate(event), parent);
  }

  private void submit(IReplyCallback event, GenerationRequest request, Answer answer) {
    submit(event, request, answer, null);
  }

  private void submit(
      IReplyCallback event, GenerationRequest request, Answer answer, Parent parent) {
    Requester requester = requester(event);
    ActionRefs.Pending ref =
        refs.onDemand(request, requester); // stored once accepted: none if refused
    DiscordReply reply = newReply(request, ref, parent);
    Submission submission =
        imagine.submit(requester, request, reply, () -> isModerator(event), parent);
    if (submission instanceof Submission.Refused refused) {
      answer.refuse(refused.refusal().message());
      return;
    }
    if (submission instanceof Submission.Queued queued) {
      ref.madeBy(queued.jobId()); // a Re-roll of this image names that job as its parent
    }
    String buttons = ref.get(); // accepted: the request behind the buttons is kept from now on
    if (submission instanceof Submission.Cached cached) {
      answer.image(
          DiscordMessages.finished(cached.image(), true, request, buttons, null, false, parent));
    } else {
      JobId job = ((Submission.Queued) submission).jobId();
      answer.follow(hook -> reply.attach(job, hook, event.getMessageChannel()));
    }
  }

  /**
   * How a submission is answered: at once, while the interaction is not yet acknowledged, or
   * through a reply already deferred (an attachment had to be downloaded first).
   */
  private interface Answer {

    /** Only the requester sees the refusal. */
    void refuse(String message);

    /** The final image as the reply. */
    void image(MessageCreateData message);

    /** A reply that {@code attach} then edits as the job runs. */
    void follow(Consumer<InteractionHook> attach);

    static Answer immediate(IReplyCallback event) {
      return new Answer() {
        @Override
        public void refuse(String message) {
          event.reply(message).setEphemeral(true).queue();
        }

        @Override
        public void image(MessageCreateData message) {
          event.reply(message).queue();
        }

        @Override
        public void follow(Consumer<InteractionHook> attach) {
          event.deferReply().queue(attach);
        }
      };
    }

    static Answer deferred(InteractionHook hook) {
      return new Answer() {
        @Override
        public void refuse(String message) {
          refuseDeferred(hook, message);
        }

        @Override
        public void image(MessageCreateData message) {
          hook.editOriginal(MessageEditData.fromCreateData(message)).queue();
        }

        @Override
        public void follow(Consumer<InteractionHook> attach) {
          attach.accept(hook);
        }
      };
    }
  }

  /** The run's previews as a GIF in a new reply; made on the edit thread, never the gateway's. */
  private void timelapse(ButtonInteractionEvent event, String ref) {
    Optional<List<byte[]>> frames = timelapses.get(ref);
    if (frames.isEmpty()) {
      event
          .reply(
              "The previews of this image are gone (they are kept in memory for a day, and the bot may have"
                  + " restarted since); Re-roll to make a new one.")
          .setEphemeral(true)
          .queue();
      return;
    }
    event
        .deferReply()
        .queue(
            hook ->
                scheduler.execute(
                    () -> {
                      try {
                        byte[] gif =
                            Gif.timelapse(frames.get(), TIMELAPSE_FRAME_DELAY, ATTACHMENT_LIMIT);
                        hook.editOriginalAttachments(FileUpload.fromData(gif, "timelapse.gif"))
                            .queue();
                      } catch (RuntimeException e) {
                        hook.editOriginal(
                                Incident.report(LOG, "timelapse of reply " + ref + " failed", e)
                                    .userMessage("making the timelapse"))
                            .queue();
                      }
                    }));
  }

  /** How the image was made, for the presser only. */
  private void info(ButtonInteractionEvent event, String ref) {
    Optional<GenerationRequest> request = refs.find(ref);
    if (request.isEmpty()) {
      event
          .reply(
              "This image is too old for its details here (buttons work for a week); the PNG"
                  + " itself still records them.")
          .setEphemeral(true)
          .queue();
      return;
    }
    event
        .replyEmbeds(DiscordMessages.info(imagine.imageInfo(request.get())))
        .setEphemeral(true)
        .queue();
  }

  /**
   * Deletes the reply the button is on, when the core says the presser may: through the press's own
   * interaction (its token is fresh, whatever the reply's age), else as a channel message. A
   * moderator is then offered, alone, to purge its image from the cache.
   */
  private void delete(ButtonInteractionEvent event, String ref) {
    Deletion decision =
        imagine.delete(
            ref, new Actor(event.getUser().getId(), isModerator(event)), event.getGuild().getId());
    if (decision instanceof Deletion.Refused refused) {
      event.reply(refused.message()).setEphemeral(true).queue();
      return;
    }
    Runnable deleted =
        ((Deletion.Allowed) decision).offerPurge()
            ? () ->
                event
                    .getHook()
                    .sendMessage(DiscordMessages.purgeOffer(ref))
                    .setEphemeral(true)
                    .queue(ok -> {}, error -> {})
            : () -> {};
    event
        .deferEdit()
        .queue(
            ok ->
                event
                    .getHook()
                    .deleteOriginal()
                    .queue(done -> deleted.run(), error -> deleteInChannel(event, deleted)),
            error -> deleteInChannel(event, deleted));
  }

  /** The interaction's route failed (an expired token, say): the bot deletes its own message. */
  private static void deleteInChannel(ButtonInteractionEvent event, Runnable deleted) {
    try {
      event
          .getChannel()
          .deleteMessageById(event.getMessageId())
          .queue(
              done -> deleted.run(),
              error -> {
                LOG.warn(
                    "deleting message {} in channel {} failed ({})",
                    event.getMessageId(),
                    event.getChannel().getId(),
                    error.toString());
                event
                    .getHook()
                    .sendMessage(
                        "The bot could not delete this message; a moderator with Manage Messages"
                            + " can delete it by hand.")
                    .setEphemeral(true)
                    .queue(ok -> {}, ignored -> {});
              });
    } catch (RuntimeException e) { // a channel JDA does not cache
      LOG.warn("cannot delete message {} ({})", event.getMessageId(), e.toString());
    }
  }

  /**
   * A moderator's purge from the offer shown after a delete: the offer becomes the answer, its
   * button gone. Anyone else is refused on their own.
   */
  private void purge(ButtonInteractionEvent event, String ref) {
    String answer;
    try {
      answer =
          moderation
              .purge(
                  new Actor(event.getUser().getId(), isModerator(event)),
                  event.getGuild().getId(),
                  ref)
              .describe();
    } catch (NotAllowedException e) {
      event.reply(e.getMessage()).setEphemeral(true).queue();
      return;
    }
    event.editMessage(answer).setComponents().queue();
  }

  private void cancel(ButtonInteractionEvent event, String ref) {
    JobId job;
    try {
      job = new JobId(ref);
    } catch (IllegalArgumentException e) {
      event.reply("This job can no longer be cancelled.").setEphemeral(true).queue();
      return;
    }
    CancelResult result = imagine.cancel(job, event.getUser().getId(), isModerator(event));
    String answer =
        switch (result) {
          case CANCELLED_QUEUED, CANCELLED_RUNNING -> "Cancelled.";
          case NOT_ALLOWED ->
              "Only the person who asked for this image or a moderator can cancel it.";
          case NOT_FOUND -> "This job has already finished.";
        };
    event.reply(answer).setEphemeral(true).queue();
  }

  /**
   * Manage Server in this channel. The channel form works for cached and uncached guilds alike (JDA
   * refuses the guild-wide check on a guild it does not cache).
   */
  static boolean isModerator(Interaction event) {
    Member member = event.getMember();
    return member != null
        && event.getGuildChannel() != null
        && member.hasPermission(event.getGuildChannel(), Permission.MANAGE_SERVER);
  }

  private static ParsedRequest parse(SlashCommandInteractionEvent event) {
    List<WeightedPrompt> prompts = PromptParser.parse(string(event, "prompt").orElse(""));
    Optional<String> negative = string(event, "negative");
    if (negative.isPresent()) {
      prompts = PromptParser.withNegatives(prompts, List.of(negative.get()));
    }
    return new ParsedRequest(
        prompts,
        number(event, "seed").map(OptionalLong::of).orElse(OptionalLong.empty()),
        integer(event, "steps"),
        integer(event, "size"),
        string(event, "model"),
        string(event, "strategy").map(Strategy::parse),
        Optional.ofNullable(event.getOption("fresh"))
            .map(OptionMapping::getAsBoolean)
            .orElse(false),
        integer(event, "grid"));
  }

  private static Optional<String> string(SlashCommandInteractionEvent event, String name) {
    return Optional.ofNullable(event.getOption(name)).map(OptionMapping::getAsString);
  }

  private static Optional<Long> number(SlashCommandInteractionEvent event, String name) {
    return Optional.ofNullable(event.getOption(name)).map(OptionMapping::getAsLong);
  }

  private static OptionalInt integer(SlashCommandInteractionEvent event, String name) {
    Optional<Long> value = number(event, name);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    if (value.get() > Integer.MAX_VALUE || value.get() < Integer.MIN_VALUE) {
      throw new RequestException(name + " " + value.get() + " is out of range", name);
    }
    return OptionalInt.of(value.get().intValue());
  }
}
