package org.imaginebot.bot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.queue.JobId;
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

  static Rendered render(SlackState state, GenerationRequest request, JobId job, String ref) {
    String prompt = "*" + SlackText.escape(SlackText.truncate(request.describePrompt(), 500)) + "*";
    if (state instanceof SlackState.Queued q) {
      String line =
          String.format(Locale.ROOT, "⏳ #%d in queue, ~%s", q.position(), SlackText.human(q.eta()));
      return withCancel(line, prompt + "\n" + line, job);
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
      return withCancel(line, prompt + "\n" + line, job);
    }
    if (state instanceof SlackState.Finished f) {
      return finished(f.image(), f.cached(), request, ref);
    }
    String line =
        state instanceof SlackState.Failed f ? "❌ " + SlackText.escape(f.message()) : "Cancelled.";
    return new Rendered(line, List.of(section(s -> s.text(markdownText(prompt + "\n" + line)))));
  }

  /** The finished job: what was made and how, with Re-roll (and Variations for adam). */
  static Rendered finished(
      CachedImage image, boolean cached, GenerationRequest request, String ref) {
    String prompt = SlackText.escape(SlackText.truncate(request.describePrompt(), 500));
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
    blocks.add(
        section(
            s ->
                s.text(
                    markdownText(
                        SlackText.truncate(
                            "✅ *" + prompt + "*\nThe image is in this thread.", SECTION_MAX)))));
    blocks.add(
        context(
            List.of(
                markdownText(
                    facts
                        + (cached
                            ? " — made earlier with the same prompt, settings and seed"
                            : "")))));
    List<BlockElement> buttons = new ArrayList<>();
    if (ref != null) {
      buttons.add(button(ActionIds.REROLL, "Re-roll", ref, "primary"));
      if (image.strategy().equals(Strategy.ADAM.id())) {
        buttons.add(button(ActionIds.VARIATIONS, "Variations", ref, null));
      }
      blocks.add(actions(buttons));
    }
    return new Rendered(text, blocks);
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
   * @param job null when the job is not known here (resumed after a restart): no Cancel button then
   */
  private static Rendered withCancel(String text, String markdown, JobId job) {
    LayoutBlock status =
        section(s -> s.text(markdownText(SlackText.truncate(markdown, SECTION_MAX))));
    return new Rendered(
        text,
        job == null
            ? List.of(status)
            : List.of(
                status,
                actions(List.of(button(ActionIds.CANCEL, "Cancel", job.value(), "danger")))));
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
