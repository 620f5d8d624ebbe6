package org.imaginebot.bot.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.components.label.Label;
import net.dv8tion.jda.api.components.textinput.TextInput;
import net.dv8tion.jda.api.components.textinput.TextInputStyle;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.modals.Modal;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.MarkdownSanitizer;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.imaginebot.bot.FollowUps;
import org.imaginebot.bot.ImageInfo;
import org.imaginebot.bot.Parent;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.Echo;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;

/**
 * How replies look: the queue line, the preview with step, loss and ETA, the final image with its
 * embed and buttons. Pure functions of the state, so every edit carries the whole message.
 */
final class DiscordMessages {

  static final int EMBED_COLOR = 0x5865F2;

  /** Longest field value shown inline (beside others) in the Info embed. */
  private static final int INLINE_MAX = 40;

  /** The Edit prompt modal's text field. */
  static final String REPROMPT_FIELD = "prompt";

  private DiscordMessages() {}

  /**
   * @param parent the image a button made this one from, linked in the final embed; null for none
   */
  static MessageCreateData render(
      ReplyState state, GenerationRequest request, JobId job, String rerollRef, Parent parent) {
    MessageCreateBuilder message = new MessageCreateBuilder();
    if (state instanceof ReplyState.Queued q) {
      message.setContent(
          String.format(Locale.ROOT, "⏳ #%d in queue, ~%s", q.position(), human(q.eta())));
      message.setComponents(ActionRow.of(cancelButton(job)));
    } else if (state instanceof ReplyState.Running r) {
      message.setContent(
          String.format(
              Locale.ROOT,
              "🎨 step %d/%d · loss %.3f · ETA %s",
              r.step(),
              r.total(),
              r.loss(),
              human(r.eta())));
      if (r.previewPng() != null) {
        message.setFiles(FileUpload.fromData(r.previewPng(), "preview.png"));
      }
      message.setComponents(ActionRow.of(cancelButton(job)));
    } else if (state instanceof ReplyState.Finished f) {
      return finished(f.image(), f.cached(), request, rerollRef, null, f.withTimelapse(), parent);
    } else if (state instanceof ReplyState.Failed f) {
      message.setContent("❌ " + f.message());
    } else {
      message.setContent("Cancelled.");
    }
    return message.build();
  }

  /**
   * The final image with its embed and buttons (see {@link #imageButtons}; a contact sheet's:
   * {@link #sheetButtons}).
   *
   * @param note an extra line above the embed, e.g. why this is a channel message; null for none. A
   *     cached image says so above the embed too ({@code cached · seed N}), so a repeat is not
   *     mistaken for a stuck bot
   * @param timelapse whether the run's previews are kept, so a Timelapse button can be offered
   */
  static MessageCreateData finished(
      CachedImage image,
      boolean cached,
      GenerationRequest request,
      String rerollRef,
      String note,
      boolean timelapse) {
    return finished(image, cached, request, rerollRef, note, timelapse, null);
  }

  /**
   * As {@link #finished(CachedImage, boolean, GenerationRequest, String, String, boolean)}, the
   * embed's description linking to {@code parent} (null: none; no line without its link).
   */
  static MessageCreateData finished(
      CachedImage image,
      boolean cached,
      GenerationRequest request,
      String rerollRef,
      String note,
      boolean timelapse,
      Parent parent) {
    String file = "imagine-" + image.seed() + ".png";
    EmbedBuilder embed =
        new EmbedBuilder()
            .setTitle(Echo.cut(request.describePrompt(), MessageEmbed.TITLE_MAX_LENGTH))
            .setColor(EMBED_COLOR)
            .setImage("attachment://" + file)
            .addField("Seed", Long.toString(image.seed()), true)
            .addField("Steps", Integer.toString(image.steps()), true)
            .addField("Strategy", image.strategy(), true)
            .addField("Model", image.model(), true)
            .addField(
                "Time",
                cached ? "cached" : human(Duration.ofMillis(image.generationMillis())),
                true);
    if (parent != null && parent.link() != null) {
      embed.setDescription(parent.relation().words() + " of [this image](" + parent.link() + ")");
    }
    String negatives = negatives(request);
    if (!negatives.isEmpty()) {
      embed.addField("Avoiding", Echo.cut(negatives, MessageEmbed.VALUE_MAX_LENGTH), false);
    }
    if (cached) {
      embed.setFooter("cached: made earlier with the same prompt, settings and seed");
    }
    MessageCreateBuilder message =
        new MessageCreateBuilder()
            .setEmbeds(embed.build())
            .setFiles(FileUpload.fromData(image.png(), file));
    String cachedLine = cached ? "cached · seed " + image.seed() : null;
    if (note != null || cachedLine != null) {
      message.setContent(
          note == null ? cachedLine : cachedLine == null ? note : note + "\n" + cachedLine);
    }
    if (rerollRef != null) {
      message.setComponents(
          request.grid() != 0
              ? sheetButtons(request, rerollRef)
              : imageButtons(request, image, rerollRef, timelapse));
    }
    return message.build();
  }

  /**
   * One image's rows: Re-roll, Variations (adam), Timelapse, Info, Delete (five: a row's limit);
   * then "+N steps" and Edit prompt (adam) and Try 4 seeds.
   */
  private static List<ActionRow> imageButtons(
      GenerationRequest request, CachedImage image, String ref, boolean timelapse) {
    boolean adam = image.strategy().equals(Strategy.ADAM.id());
    List<Button> first = new ArrayList<>();
    first.add(Button.primary(ButtonIds.reroll(ref), "Re-roll"));
    if (adam) {
      first.add(Button.secondary(ButtonIds.variations(ref), "Variations"));
    }
    if (timelapse) {
      first.add(Button.secondary(ButtonIds.timelapse(ref), "Timelapse"));
    }
    first.add(Button.secondary(ButtonIds.info(ref), "Info"));
    first.add(Button.danger(ButtonIds.delete(ref), "Delete"));
    List<Button> second = new ArrayList<>();
    if (FollowUps.continuable(request)) {
      second.add(
          Button.primary(
              ButtonIds.more(ref),
              "+" + FollowUps.moreSteps(request, Integer.MAX_VALUE) + " steps"));
      second.add(Button.secondary(ButtonIds.reprompt(ref), "Edit prompt"));
    }
    second.add(Button.secondary(ButtonIds.sheet(ref), "Try 4 seeds"));
    return List.of(ActionRow.of(first), ActionRow.of(second));
  }

  /**
   * A contact sheet's rows: Refine 1-4, Vary 1-4 (numbered as read), then Re-roll, Info, Delete.
   */
  private static List<ActionRow> sheetButtons(GenerationRequest request, String ref) {
    List<Button> refine = new ArrayList<>();
    List<Button> vary = new ArrayList<>();
    for (int n = 1; n <= request.grid(); n++) {
      refine.add(Button.primary(ButtonIds.refine(n, ref), "Refine " + n));
      vary.add(Button.secondary(ButtonIds.varyCandidate(n, ref), "Vary " + n));
    }
    return List.of(
        ActionRow.of(refine),
        ActionRow.of(vary),
        ActionRow.of(
            Button.primary(ButtonIds.reroll(ref), "Re-roll"),
            Button.secondary(ButtonIds.info(ref), "Info"),
            Button.danger(ButtonIds.delete(ref), "Delete")));
  }

  /**
   * The Edit prompt modal: one text field, prefilled with the image's prompts as a request line
   * writes them ({@code a | b:0.5}, negatives with their weights).
   */
  static Modal repromptModal(GenerationRequest request, String ref) {
    TextInput prompt =
        TextInput.create(REPROMPT_FIELD, TextInputStyle.PARAGRAPH)
            .setValue(Echo.cut(request.describePrompt(), TextInput.MAX_VALUE_LENGTH))
            .setRequiredRange(1, TextInput.MAX_VALUE_LENGTH)
            .build();
    return Modal.create(ButtonIds.repromptModal(ref), "Edit prompt")
        .addComponents(Label.of("New prompt (goes on from this image)", prompt))
        .build();
  }

  /**
   * What a moderator alone sees once a reply is deleted: its image is still cached, with a button
   * that purges it.
   */
  static MessageCreateData purgeOffer(String ref) {
    return new MessageCreateBuilder()
        .setContent(
            "Deleted. The image is still in the cache, so the same request would show it again at"
                + " once; purge it to have that request make a new image.")
        .setComponents(ActionRow.of(Button.danger(ButtonIds.purge(ref), "Purge it from the cache")))
        .build();
  }

  /** The Info button's answer: each fact a field (short ones side by side), the hint below. */
  static MessageEmbed info(ImageInfo info) {
    EmbedBuilder embed =
        new EmbedBuilder().setTitle("How this image was made").setColor(EMBED_COLOR);
    for (ImageInfo.Field field : info.fields()) {
      String value = MarkdownSanitizer.escape(field.value());
      embed.addField(
          field.label(),
          Echo.cut(value, MessageEmbed.VALUE_MAX_LENGTH),
          value.length() <= INLINE_MAX);
    }
    return embed.setFooter(info.hint().replace("`", "")).build();
  }

  private static Button cancelButton(JobId job) {
    return Button.danger(ButtonIds.cancel(job), "Cancel");
  }

  private static String negatives(GenerationRequest request) {
    StringBuilder sb = new StringBuilder();
    request.prompts().stream()
        .filter(p -> p.isNegative())
        .forEach(
            p -> {
              if (!sb.isEmpty()) {
                sb.append(", ");
              }
              sb.append(p.text());
            });
    return sb.toString();
  }

  static String human(Duration d) {
    long seconds = Math.max(0, Math.round(d.toMillis() / 1000.0));
    if (seconds < 60) {
      return d.toMillis() < 10_000 && !d.isZero()
          ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
          : seconds + " s";
    }
    return seconds / 60 + " min " + seconds % 60 + " s";
  }
}
