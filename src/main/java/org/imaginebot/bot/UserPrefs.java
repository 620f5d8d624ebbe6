package org.imaginebot.bot;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;

/**
 * One user's own defaults in one scope for the options a request leaves out ({@code
 * /imagine-prefs}): options the user gives still win, and an empty value leaves the scope's default
 * in force. Values are checked when they are saved ({@link ImagineService#changePrefs}); this
 * record only refuses what can never be right.
 *
 * @param model a generator id as the manifest spells it
 * @param strategy the strategy
 * @param steps optimizer steps, at least 1
 * @param grid 1 for one image, {@value GenerationRequest#GRID} for a contact sheet
 */
public record UserPrefs(
    Optional<String> model, Optional<Strategy> strategy, OptionalInt steps, OptionalInt grid) {

  /** No defaults of the user's own. */
  public static final UserPrefs NONE =
      new UserPrefs(Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty());

  /** Defaults without a grid of the user's own. */
  public UserPrefs(Optional<String> model, Optional<Strategy> strategy, OptionalInt steps) {
    this(model, strategy, steps, OptionalInt.empty());
  }

  public UserPrefs {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(steps, "steps");
    if (model.isPresent() && model.get().isBlank()) {
      throw new IllegalArgumentException("model may not be blank");
    }
    if (steps.isPresent() && steps.getAsInt() < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps.getAsInt());
    }
    Objects.requireNonNull(grid, "grid");
    if (grid.isPresent() && grid.getAsInt() != 1 && grid.getAsInt() != GenerationRequest.GRID) {
      throw new IllegalArgumentException(
          "grid must be 1 or " + GenerationRequest.GRID + ", got " + grid.getAsInt());
    }
  }

  /** True when the user has no default of their own. */
  public boolean isEmpty() {
    return model.isEmpty() && strategy.isEmpty() && steps.isEmpty() && grid.isEmpty();
  }

  /** These defaults with each value {@code changes} has replacing this one's. */
  public UserPrefs with(UserPrefs changes) {
    return new UserPrefs(
        changes.model.or(() -> model),
        changes.strategy.or(() -> strategy),
        changes.steps.isPresent() ? changes.steps : steps,
        changes.grid.isPresent() ? changes.grid : grid);
  }
}
