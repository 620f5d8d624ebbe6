package org.imaginebot.bot;

import java.util.Objects;
import java.util.Set;

/**
 * What a chat adapter gets from the core: the two services it calls and the facts its commands show
 * (model choices, step range, queue time estimates). Adapters depend on this, never on the wiring
 * that builds it.
 *
 * @param actionRefs the requests behind chat buttons, kept across restarts
 * @param models the generator ids requests may name
 * @param maxSteps the engine's step limit
 * @param gpuConcurrency jobs running at once
 * @param replays signed requests already seen (Slack's HTTP mode refuses replays), shared by the
 *     bot nodes of a cluster
 */
public record BotServices(
    ImagineService imagine,
    ModerationService moderation,
    ActionRefs actionRefs,
    Set<String> models,
    int maxSteps,
    int gpuConcurrency,
    Replays replays) {

  public BotServices {
    Objects.requireNonNull(imagine, "imagine");
    Objects.requireNonNull(moderation, "moderation");
    Objects.requireNonNull(actionRefs, "actionRefs");
    Objects.requireNonNull(replays, "replays");
    models = Set.copyOf(models);
  }
}
