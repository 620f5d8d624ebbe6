package org.imaginebot.bot;

import java.util.List;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/**
 * The requests an earlier image's buttons make, the same on every platform: "+N steps" goes on with
 * its run, "Edit prompt" goes on under new prompts, "Try 4 seeds" makes a contact sheet, and a
 * sheet's Refine and Vary work on one of its candidates. Each is submitted like any request
 * (limits, cache, queue); the adapters only render them.
 *
 * <p>A refusal is a {@link FollowUpException} whose message is for the user.
 */
public final class FollowUps {

  private FollowUps() {}

  /** Whether {@code request}'s image can go on ("+N steps", "Edit prompt"): one adam image. */
  public static boolean continuable(GenerationRequest request) {
    return request.strategy() == Strategy.ADAM && request.grid() == 0;
  }

  /**
   * How many steps "+N steps" adds to {@code request}'s image: as many as its own run took (the
   * steps asked for, not counting those it went on from), at most {@code maxSteps}.
   */
  public static int moreSteps(GenerationRequest request, int maxSteps) {
    return Math.max(1, Math.min(request.ownSteps(), maxSteps));
  }

  /**
   * "+N steps": the same run {@link #moreSteps} steps longer. The worker goes on from the image's
   * final latents and Adam state (kept with the cached image), else runs it all again: the same
   * bytes either way.
   */
  public static GenerationRequest continued(GenerationRequest request, int maxSteps) {
    requireContinuable(request, "continued");
    return request
        .withSteps(request.steps() + moreSteps(request, maxSteps))
        .withContinuedFrom(request.steps());
  }

  /** "Edit prompt": {@code prompts} go on from the image's run for {@link #moreSteps} steps. */
  public static GenerationRequest reprompted(
      GenerationRequest request, List<WeightedPrompt> prompts, int maxSteps) {
    requireContinuable(request, "re-prompted");
    if (!request.images().isEmpty()) {
      throw new FollowUpException(
          "An image made with an image prompt cannot be re-prompted; run /imagine with the new"
              + " prompt instead.");
    }
    return request.reprompted(prompts, moreSteps(request, maxSteps));
  }

  /**
   * "Try 4 seeds": a contact sheet of {@code request}'s prompts with adam, from its seed on, each
   * candidate a quarter of the steps its own run took.
   */
  public static GenerationRequest sheet(GenerationRequest request) {
    return new GenerationRequest(
        request.prompts(),
        request.model(),
        Strategy.ADAM,
        request.ownSteps(),
        request.seed(),
        request.size(),
        request.seedSource(),
        0,
        request.images(),
        GenerationRequest.GRID,
        null,
        0);
  }

  /**
   * "Refine N" on a contact sheet: candidate {@code n} (1-based) goes on with adam for the sheet's
   * steps (at most {@code maxSteps}) from where it stopped.
   */
  public static GenerationRequest refine(GenerationRequest sheet, int n, int maxSteps) {
    GenerationRequest candidate = candidate(sheet, n);
    return candidate
        .withSteps(candidate.steps() + Math.min(sheet.steps(), maxSteps))
        .withContinuedFrom(candidate.steps());
  }

  /**
   * "Vary N" on a contact sheet: a variation of candidate {@code n} (1-based), run for the sheet's
   * steps: close to it, not the same.
   */
  public static GenerationRequest vary(GenerationRequest sheet, int n, int variation) {
    return candidate(sheet, n).withSteps(sheet.steps()).withVariation(variation);
  }

  private static GenerationRequest candidate(GenerationRequest sheet, int n) {
    if (sheet.grid() == 0 || n < 1 || n > sheet.grid()) {
      throw new FollowUpException("That candidate is not on this contact sheet.");
    }
    return sheet.candidate(n - 1);
  }

  private static void requireContinuable(GenerationRequest request, String what) {
    if (request.grid() != 0) {
      throw new FollowUpException(
          "A contact sheet is four images: use Refine 1-4 to go on from one of them.");
    }
    if (request.strategy() != Strategy.ADAM) {
      throw new FollowUpException(
          "Only images made with the adam strategy can be "
              + what
              + " (this one was made by "
              + request.strategy().id()
              + ", which keeps no optimizer state).");
    }
  }
}
