package org.imaginebot.bot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ImageBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.SlackFileObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.imaginebot.bot.FollowUps;
import org.imaginebot.bot.ImageInfo;
import org.imaginebot.bot.Parent;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.Echo;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;

/**
 * How the job's message looks in each state: a fallback text (notifications, screen readers) and
 * Block Kit blocks. Pure functions of the state, so every update carries the whole message. Every
 * echoed prompt is escaped ({@link SlackText#escape}).
 */
final class SlackMessages {

  /** Slack's limit on a section's text. */
  private static final int SECTION_MAX = 3000;

  /** The text and blocks of one {@code chat.postMessage} or {@code chat.update}. */
  record Rendered(String text, List<LayoutBlock> blocks) {}

  private SlackMessages() {}

  /**
   * @param job null when the job is not known here (a cache hit, a job resumed after a restart)
   * @param ref what Re-roll, Variations, Timelapse, Info and Delete carry; null: no buttons
   * @param imageFileId a file uploaded for this message (shared nowhere) that an image block shows:
   *     the newest preview while running, the image itself when it cannot go into a thread (a
   *     {@code response_url} answer); null for none
   * @param deletable whether the finished message offers Delete: a channel message does, an
   *     ephemeral {@code response_url} answer (which its reader can dismiss) does not
   */
  static Rendered render(
      SlackState state,
      GenerationRequest request,
      JobId job,
      String ref,
      String imageFileId,
      boolean deletable) {
    String prompt = "*" + SlackText.escape(Echo.cut(request.describePrompt(), 500)) + "*";
    if (state instanceof SlackState.Queued q) {
      String line =
          String.format(Locale.ROOT, "⏳ #%d in queue, ~%s", q.position(), SlackText.human(q.eta()));
      return withCancel(line, prompt + "\n" + line, job, null, null);
    }
    if (state instanceof SlackState.Running r) {
      String line =
          String.format(
              Locale.ROOT,
              "🎨 `%s` step %d/%d · loss %.3f · ETA %s",
              SlackText.bar(r.step(), r.total()),
              r.step(),
              r.total(),
              r.loss(),
              SlackText.human(r.eta()));
      return withCancel(
          line, prompt + "\n" + line, job, imageFileId, "preview at step " + r.step());
    }
    if (state instanceof SlackState.Finished f) {
      return finished(
          f.image(), f.cached(), f.withTimelapse(), request, ref, imageFileId, deletable);
    }
    String line =
        state instanceof SlackState.Failed f ? "❌ " + SlackText.escape(f.message()) : "Cancelled.";
    return new Rendered(line, List.of(section(s -> s.text(markdownText(prompt + "\n" + line)))));
  }

  /**
   * The finished job: what was made and how, with Re-roll (Variations for adam, Timelapse when the
   * previews are kept), Info and Delete; the image in the thread, or in the message when {@code
   * imageFileId} is set.
   */
  private static Rendered finished(
      CachedImage image,
      boolean cached,
      boolean withTimelapse,
      GenerationRequest request,
      String ref,
      String imageFileId,
      boolean deletable) {
    String prompt = SlackText.escape(Echo.cut(request.describePrompt(), 500));
    String facts =
        String.format(
            Locale.ROOT,
            "seed %d · %d steps · %s · model %s · %s",
            image.seed(),
            image.steps(),
            image.strategy(),
            SlackText.escape(image.model()),
            cached ? "cached" : SlackText.human(Duration.ofMillis(image.generationMillis())));
    String text = "✅ " + prompt + " (" + facts + ")";
    List<LayoutBlock> blocks = new ArrayList<>();
    String where = imageFileId == null ? "\nThe image is in this thread." : "";
    blocks.add(
        section(s -> s.text(markdownText(Echo.cut("✅ *" + prompt + "*" + where, SECTION_MAX)))));
    if (imageFileId != null) {
      blocks.add(image(imageFileId, Echo.cut(request.describePrompt(), 200)));
    }
    blocks.add(
        context(
            List.of(
                markdownText(
                    facts
                        + (cached
                            ? " — made earlier with the same prompt, settings and seed"
                            : "")))));
    if (ref != null) {
      blocks.addAll(
          request.grid() != 0
              ? sheetButtons(request, ref, deletable)
              : imageButtons(request, image, ref, withTimelapse, deletable));
    }
    return new Rendered(text, blocks);
  }

  /**
   * One image's rows: Re-roll, Variations (adam), Timelapse, Info, Delete; then "+N steps" and Edit
   * prompt (adam) and Try 4 seeds.
   */
  private static List<LayoutBlock> imageButtons(
      GenerationRequest request,
      CachedImage image,
      String ref,
      boolean withTimelapse,
      boolean deletable) {
    List<BlockElement> first = new ArrayList<>();
    first.add(button(ActionIds.REROLL, "Re-roll", ref, "primary"));
    if (image.strategy().equals(Strategy.ADAM.id())) {
      first.add(button(ActionIds.VARIATIONS, "Variations", ref, null));
    }
    if (withTimelapse) {
      first.add(button(ActionIds.TIMELAPSE, "Timelapse", ref, null));
    }
    first.add(button(ActionIds.INFO, "Info", ref, null));
    if (deletable) {
      first.add(button(ActionIds.DELETE, "Delete", ref, "danger"));
    }
    List<BlockElement> second = new ArrayList<>();
    if (FollowUps.continuable(request)) {
      second.add(
          button(
              ActionIds.MORE,
              "+" + FollowUps.moreSteps(request, Integer.MAX_VALUE) + " steps",
              ref,
              "primary"));
      second.add(button(ActionIds.REPROMPT, "Edit prompt", ref, null));
    }
    second.add(button(ActionIds.SHEET, "Try 4 seeds", ref, null));
    return List.of(actions(first), actions(second));
  }

  /**
   * A contact sheet's rows: Refine 1-4, Vary 1-4 (numbered as read), then Re-roll, Info, Delete.
   */
  private static List<LayoutBlock> sheetButtons(
      GenerationRequest request, String ref, boolean deletable) {
    List<BlockElement> refine = new ArrayList<>();
    List<BlockElement> vary = new ArrayList<>();
    for (int n = 1; n <= request.grid(); n++) {
      refine.add(button(ActionIds.REFINE + n, "Refine " + n, ref, "primary"));
      vary.add(button(ActionIds.VARY_CANDIDATE + n, "Vary " + n, ref, null));
    }
    List<BlockElement> rest = new ArrayList<>();
    rest.add(button(ActionIds.REROLL, "Re-roll", ref, null));
    rest.add(button(ActionIds.INFO, "Info", ref, null));
    if (deletable) {
      rest.add(button(ActionIds.DELETE, "Delete", ref, "danger"));
    }
    return List.of(actions(refine), actions(vary), actions(rest));
  }

  /**
   * What a moderator alone sees once a reply is deleted: its image is still cached, with a button
   * that purges it.
   */
  static Rendered purgeOffer(String ref) {
    String text =
        "Deleted. The image is still in the cache, so the same request would show it again at"
            + " once; purge it to have that request make a new image.";
    return new Rendered(
        text,
        List.of(
            section(s -> s.text(markdownText(text))),
            actions(List.of(button(ActionIds.PURGE, "Purge it from the cache", ref, "danger")))));
  }

  /** The Info button's answer: one {@code *Label:* value} line per fact, then the hint. */
  static String info(ImageInfo info) {
    StringBuilder text = new StringBuilder("*How this image was made*");
    for (ImageInfo.Field field : info.fields()) {
      text.append("\n*")
          .append(field.label())
          .append(":* ")
          .append(SlackText.escape(field.value()));
    }
    return text.append("\n").append(info.hint()).toString();
  }

  /** {@code note} (Slack markup, already safe) above the message; the message itself when null. */
  static Rendered withNote(String note, Rendered message) {
    if (note == null) {
      return message;
    }
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(section(s -> s.text(markdownText(note))));
    blocks.addAll(message.blocks());
    return new Rendered(note + "\n" + message.text(), blocks);
  }

  /**
   * A line linking the image {@code parent} was made from, in small print above the buttons;
   * unchanged without a parent or its link.
   */
  static Rendered withParent(Rendered message, Parent parent) {
    if (parent == null || parent.link() == null) {
      return message;
    }
    String line = parent.relation().words() + " of <" + parent.link() + "|this image>";
    List<LayoutBlock> blocks = new ArrayList<>(message.blocks());
    int at = 0;
    while (at < blocks.size() && !(blocks.get(at) instanceof ActionsBlock)) {
      at++;
    }
    blocks.add(at, context(List.of(markdownText(line))));
    return new Rendered(message.text() + "\n" + line, blocks);
  }

  /** {@code hint} (Slack markup, already safe) in small print under the message. */
  static Rendered withHint(Rendered message, String hint) {
    List<LayoutBlock> blocks = new ArrayList<>(message.blocks());
    blocks.add(context(List.of(markdownText(hint))));
    return new Rendered(message.text() + "\n" + hint, blocks);
  }

  /**
   * @param job null when the job is not known here (resumed after a restart): no Cancel button then
   * @param imageFileId a preview to show under the status; null for none
   */
  private static Rendered withCancel(
      String text, String markdown, JobId job, String imageFileId, String imageAlt) {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(section(s -> s.text(markdownText(Echo.cut(markdown, SECTION_MAX)))));
    if (imageFileId != null) {
      blocks.add(image(imageFileId, imageAlt));
    }
    if (job != null) {
      blocks.add(actions(List.of(button(ActionIds.CANCEL, "Cancel", job.value(), "danger"))));
    }
    return new Rendered(text, blocks);
  }

  /** An image block showing a file the bot uploaded ({@code slack_file} by id). */
  private static LayoutBlock image(String fileId, String altText) {
    return ImageBlock.builder()
        .slackFile(SlackFileObject.builder().id(fileId).build())
        .altText(altText)
        .build();
  }

  private static ButtonElement button(String actionId, String label, String value, String style) {
    return ButtonElement.builder()
        .actionId(actionId)
        .text(plainText(label))
        .value(value)
        .style(style)
        .build();
  }
}
