package org.imaginebot.limits;

import java.util.Optional;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.WeightedPrompt;
import org.imaginebot.settings.ScopeSettings;

/**
 * The checks of a request against its guild's live settings that do not depend on time: banned
 * words, channel, strategy, model, steps and size. Cheap; runs before the cache so that a banned
 * prompt is never answered, not even from the cache.
 */
public final class RequestPolicy {

  private RequestPolicy() {}

  /**
   * The first rule {@code request} breaks, or empty.
   *
   * @param channelId where it was asked; {@code null} when there are no channels (the CLI)
   */
  public static Optional<Refusal> check(
      ScopeSettings settings, String channelId, GenerationRequest request) {
    for (WeightedPrompt prompt : request.prompts()) {
      Optional<String> banned = settings.bannedWordIn(prompt.text());
      if (banned.isPresent()) {
        return refuse(
            RefusalKind.BANNED_WORD,
            "Your prompt contains \""
                + banned.get()
                + "\", which is not allowed on this server. Rephrase it and try again.");
      }
    }
    if (channelId != null && !settings.allowsChannel(channelId)) {
      return refuse(
          RefusalKind.CHANNEL_NOT_ALLOWED,
          "Images can't be made in this channel. Ask a moderator which channels allow /imagine.");
    }
    String strategy = request.strategy().id();
    if (!settings.allowsStrategy(strategy)) {
      return refuse(
          RefusalKind.STRATEGY_NOT_ALLOWED,
          "The "
              + strategy
              + " strategy is not allowed on this server; allowed: "
              + String.join(", ", settings.strategies())
              + ".");
    }
    if (!settings.allowsModel(request.model())) {
      return refuse(
          RefusalKind.MODEL_NOT_ALLOWED,
          "The model "
              + request.model()
              + " is not allowed on this server; allowed: "
              + String.join(", ", settings.models())
              + ".");
    }
    // A continue or re-prompt is limited by the steps it adds, not by the run it goes on from.
    if (request.ownSteps() > settings.maxSteps()) {
      return refuse(
          RefusalKind.TOO_MANY_STEPS,
          "This server allows at most "
              + settings.maxSteps()
              + " steps; you asked for "
              + request.ownSteps()
              + ". Ask for "
              + settings.maxSteps()
              + " or fewer.");
    }
    if (request.size() > settings.maxSize()) {
      return refuse(
          RefusalKind.TOO_LARGE,
          "This server allows images up to "
              + settings.maxSize()
              + " pixels; you asked for "
              + request.size()
              + ". Ask for "
              + settings.maxSize()
              + " or less.");
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refuse(RefusalKind kind, String message) {
    return Optional.of(Refusal.of(kind, message));
  }
}
