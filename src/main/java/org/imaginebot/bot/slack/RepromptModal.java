package org.imaginebot.bot.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.block.element.BlockElements;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import com.slack.api.model.view.Views;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.request.Echo;
import org.imaginebot.request.GenerationRequest;

/**
 * The Edit prompt form: one field prefilled with the image's prompts as a request line writes them
 * ({@code a | b:0.5}); its private metadata names where the new image goes and what it goes on
 * from: the channel, the message the button was on and the request's ref.
 */
final class RepromptModal {

  static final String CALLBACK_ID = "imagine_reprompt_modal";
  static final String PROMPT = "prompt";
  static final String VALUE = "value";

  /** Slack's limit for a plain text input. */
  private static final int MAX_LENGTH = 3000;

  /**
   * Where the submission goes and what it continues.
   *
   * @param channel where the new image is posted
   * @param messageTs the message the button was on (its parent), or empty
   * @param ref the request behind the button ({@code bot.ActionRefs})
   */
  record Target(String channel, String messageTs, String ref) {
    String metadata() {
      return channel + "\n" + (messageTs == null ? "" : messageTs) + "\n" + ref;
    }

    static Optional<Target> of(String metadata) {
      String[] parts = metadata == null ? new String[0] : metadata.split("\n", -1);
      if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
        return Optional.empty();
      }
      return Optional.of(new Target(parts[0], parts[1].isEmpty() ? null : parts[1], parts[2]));
    }
  }

  private RepromptModal() {}

  static View view(GenerationRequest request, Target target) {
    return Views.view(
        v ->
            v.type("modal")
                .callbackId(CALLBACK_ID)
                .privateMetadata(target.metadata())
                .title(viewTitle(t -> t.type("plain_text").text("Edit prompt")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Go on")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(
                    List.of(
                        input(
                            i ->
                                i.blockId(PROMPT)
                                    .label(plainText("New prompt (goes on from this image)"))
                                    .element(
                                        BlockElements.plainTextInput(
                                            t ->
                                                t.actionId(VALUE)
                                                    .multiline(true)
                                                    .maxLength(MAX_LENGTH)
                                                    .initialValue(
                                                        Echo.cut(
                                                            request.describePrompt(),
                                                            MAX_LENGTH))))))));
  }

  /** The typed prompt line; empty when the field is missing or blank. */
  static Optional<String> prompt(ViewState state) {
    return Optional.ofNullable(state)
        .map(ViewState::getValues)
        .map((Map<String, Map<String, ViewState.Value>> v) -> v.get(PROMPT))
        .map(block -> block.get(VALUE))
        .map(ViewState.Value::getValue)
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }
}
