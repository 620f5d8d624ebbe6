package org.imaginebot.bot;

import java.util.function.UnaryOperator;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.RequestBounds;
import org.imaginebot.request.Strategy;

/**
 * A user's saved defaults ({@link PrefsView}) as chat text, the same on every platform: the line
 * {@code /imagine-info} shows and the answer to {@code /imagine-prefs}. Model ids pass through the
 * platform's {@code escape}.
 */
public final class PrefsText {

  private PrefsText() {}

  /**
   * One line, e.g. {@code Your defaults on this server: model tiny (yours), strategy adam
   * (default), 50 steps (yours).}; a saved value that is not used now says why.
   *
   * @param here how the platform names the scope, e.g. "on this server", "in this workspace"
   */
  public static String line(PrefsView view, String here, UnaryOperator<String> escape) {
    UserPrefs saved = view.saved();
    RequestBounds now = view.applied();
    if (saved.isEmpty()) {
      return "You have no defaults of your own "
          + here
          + ": /imagine uses model "
          + escape.apply(now.defaultModel())
          + ", strategy "
          + now.defaultStrategy().id()
          + ", "
          + now.defaultSteps()
          + " steps, one image.";
    }
    String model =
        "model "
            + escape.apply(now.defaultModel())
            + saved
                .model()
                .map(
                    m ->
                        m.equals(now.defaultModel())
                            ? " (yours)"
                            : " (your " + escape.apply(m) + " is not allowed here now)")
                .orElse(" (default)");
    String strategy =
        "strategy "
            + now.defaultStrategy().id()
            + saved
                .strategy()
                .map(
                    s ->
                        s == now.defaultStrategy()
                            ? " (yours)"
                            : " (your " + s.id() + " is not allowed here now)")
                .orElse(" (default)");
    String steps =
        now.defaultSteps()
            + " steps"
            + (saved.steps().isEmpty()
                ? " (default)"
                : saved.steps().getAsInt() == now.defaultSteps()
                    ? " (yours)"
                    : " (your "
                        + saved.steps().getAsInt()
                        + " is over the limit of "
                        + now.maxSteps()
                        + " here)");
    String grid =
        (now.defaultGrid() == GenerationRequest.GRID && now.defaultStrategy() == Strategy.ADAM
                ? "a contact sheet of 4"
                : "one image")
            + (saved.grid().isEmpty()
                ? " (default)"
                : saved.grid().getAsInt() == GenerationRequest.GRID
                        && now.defaultStrategy() != Strategy.ADAM
                    ? " (your sheet needs the adam strategy)"
                    : " (yours)");
    return "Your defaults "
        + here
        + ": "
        + model
        + ", "
        + strategy
        + ", "
        + steps
        + ", "
        + grid
        + ".";
  }

  /**
   * The answer to {@code /imagine-prefs}: what it did, the {@link #line}, and how to change them.
   *
   * @param change what the user asked for
   * @param howToChange the platform's own syntax, one sentence
   */
  public static String reply(
      PrefsView view,
      PrefsChange change,
      String here,
      UnaryOperator<String> escape,
      String howToChange) {
    String done =
        change.setsValues() ? "Saved. " : change.clear() ? "Your defaults are cleared. " : "";
    return done
        + line(view, here, escape)
        + "\nOptions you give with /imagine win over these. "
        + howToChange;
  }
}
