package org.imaginebot.bot.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.BlockElements;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import com.slack.api.model.view.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.imaginebot.request.Echo;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ParsedRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.RequestException;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/**
 * The form {@code /imagine} with no text opens: prompt, negative prompt, seed, steps, strategy and
 * model (choices from the manifest). Its submission becomes the same request the command line
 * would, and each error is shown on the field it is about.
 */
final class ImagineModal {

  static final String CALLBACK_ID = "imagine_modal";
  static final String PROMPT = "prompt";
  static final String NEGATIVE = "negative";
  static final String SEED = "seed";
  static final String STEPS = "steps";
  static final String STRATEGY = "strategy";
  static final String MODEL = "model";
  static final String VALUE = "value";

  /** Slack allows 100 options in a static select. */
  private static final int MAX_OPTIONS = 100;

  private ImagineModal() {}

  /**
   * @param channel where the image will be posted, carried in the view's private metadata
   */
  static View view(String channel, Set<String> models) {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(
        input(
            i ->
                i.blockId(PROMPT)
                    .label(plainText("Prompt"))
                    .hint(plainText("What to draw; weights: a lighthouse | oil painting:0.5"))
                    .element(
                        BlockElements.plainTextInput(
                            t -> t.actionId(VALUE).maxLength(WeightedPrompt.MAX_TEXT_LENGTH)))));
    blocks.add(
        input(
            i ->
                i.blockId(NEGATIVE)
                    .label(plainText("Avoid"))
                    .optional(true)
                    .element(
                        BlockElements.plainTextInput(
                            t -> t.actionId(VALUE).maxLength(WeightedPrompt.MAX_TEXT_LENGTH)))));
    blocks.add(
        input(
            i ->
                i.blockId(SEED)
                    .label(plainText("Seed"))
                    .optional(true)
                    .hint(plainText("Same seed, same image"))
                    .element(BlockElements.plainTextInput(t -> t.actionId(VALUE)))));
    blocks.add(
        input(
            i ->
                i.blockId(STEPS)
                    .label(plainText("Steps"))
                    .optional(true)
                    .element(BlockElements.plainTextInput(t -> t.actionId(VALUE)))));
    blocks.add(
        input(
            i ->
                i.blockId(STRATEGY)
                    .label(plainText("Strategy"))
                    .optional(true)
                    .element(
                        BlockElements.staticSelect(
                            s -> s.actionId(VALUE).options(options(strategies()))))));
    blocks.add(
        input(
            i ->
                i.blockId(MODEL)
                    .label(plainText("Model"))
                    .optional(true)
                    .element(
                        BlockElements.staticSelect(
                            s -> s.actionId(VALUE).options(options(models))))));
    return Views.view(
        v ->
            v.type("modal")
                .callbackId(CALLBACK_ID)
                .privateMetadata(channel)
                .title(viewTitle(t -> t.type("plain_text").text("Imagine")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Make it")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
  }

  /** Why a submission cannot be run: the message for the field ({@code block_id}) it is about. */
  static final class FieldError extends RuntimeException {
    final String field;

    FieldError(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  /**
   * The submitted request, resolved by {@code resolve} (the core: the user's saved defaults and the
   * workspace's limits).
   *
   * @throws FieldError naming the field that is wrong
   */
  static GenerationRequest request(
      ViewState state, Function<ParsedRequest, GenerationRequest> resolve) {
    Map<String, Map<String, ViewState.Value>> values = state.getValues();
    List<WeightedPrompt> prompts;
    try {
      prompts = PromptParser.parse(text(values, PROMPT).orElse(""));
    } catch (IllegalArgumentException e) {
      throw new FieldError(PROMPT, e.getMessage());
    }
    Optional<String> negative = text(values, NEGATIVE);
    if (negative.isPresent()) {
      try {
        prompts = PromptParser.withNegatives(prompts, List.of(negative.get()));
      } catch (IllegalArgumentException e) {
        throw new FieldError(NEGATIVE, e.getMessage());
      }
    }
    OptionalLong seed =
        text(values, SEED).map(s -> OptionalLong.of(number(SEED, s))).orElse(OptionalLong.empty());
    OptionalInt steps =
        text(values, STEPS)
            .map(s -> OptionalInt.of(Math.toIntExact(number(STEPS, s))))
            .orElse(OptionalInt.empty());
    Optional<Strategy> strategy;
    try { // a select offers only the strategies, but a stale or forged form may carry another
      strategy = selected(values, STRATEGY).map(Strategy::parse);
    } catch (IllegalArgumentException e) {
      throw new FieldError(STRATEGY, e.getMessage());
    }
    try { // the request's own checks (a positive prompt, seed and steps in range) and the limits
      return resolve.apply(
          new ParsedRequest(
              prompts, seed, steps, OptionalInt.empty(), selected(values, MODEL), strategy, false));
    } catch (RequestException e) {
      String about = e.getMessage().toLowerCase(Locale.ROOT);
      throw new FieldError(
          about.startsWith("--steps") ? STEPS : about.startsWith("--seed") ? SEED : PROMPT,
          e.getMessage());
    }
  }

  private static long number(String field, String text) {
    try {
      long value = Long.parseLong(text.strip());
      if (value < 0 || (field.equals(STEPS) && value > Integer.MAX_VALUE)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new FieldError(
          field, "Needs a whole number of 0 or more, got '" + Echo.of(text.strip()) + "'.");
    }
  }

  private static Optional<String> text(
      Map<String, Map<String, ViewState.Value>> values, String block) {
    return value(values, block)
        .map(ViewState.Value::getValue)
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  private static Optional<String> selected(
      Map<String, Map<String, ViewState.Value>> values, String block) {
    return value(values, block)
        .map(ViewState.Value::getSelectedOption)
        .map(ViewState.SelectedOption::getValue);
  }

  private static Optional<ViewState.Value> value(
      Map<String, Map<String, ViewState.Value>> values, String block) {
    return Optional.ofNullable(values).map(v -> v.get(block)).map(b -> b.get(VALUE));
  }

  private static List<String> strategies() {
    List<String> ids = new ArrayList<>();
    for (Strategy s : Strategy.values()) {
      ids.add(s.id());
    }
    return ids;
  }

  private static List<OptionObject> options(Iterable<String> ids) {
    List<OptionObject> options = new ArrayList<>();
    for (String id : ids instanceof Set<String> set ? new TreeSet<>(set) : ids) {
      if (options.size() < MAX_OPTIONS) {
        options.add(OptionObject.builder().text(plainText(id)).value(id).build());
      }
    }
    return options;
  }
}
