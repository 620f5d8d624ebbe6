package org.imaginebot.bot;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.imaginebot.request.Strategy;

/**
 * What one {@code /imagine-prefs} asks for: remove the saved defaults ({@code clear}), then save
 * the values given over what is left; neither only shows them. Values are as the user typed them
 * and are checked by {@link ImagineService#changePrefs}.
 *
 * @param clear remove every saved default first
 * @param model a model id, matched ignoring case
 * @param strategy a strategy name, e.g. {@code adam}
 * @param steps optimizer steps
 * @param grid 1 (one image) or 4 (a contact sheet)
 */
public record PrefsChange(
    boolean clear,
    Optional<String> model,
    Optional<String> strategy,
    OptionalInt steps,
    OptionalInt grid) {

  /** Changes nothing: shows the saved defaults. */
  public static final PrefsChange SHOW =
      new PrefsChange(false, Optional.empty(), Optional.empty(), OptionalInt.empty());

  /** Removes every saved default. */
  public static final PrefsChange CLEAR =
      new PrefsChange(true, Optional.empty(), Optional.empty(), OptionalInt.empty());

  /** A change that sets no grid. */
  public PrefsChange(
      boolean clear, Optional<String> model, Optional<String> strategy, OptionalInt steps) {
    this(clear, model, strategy, steps, OptionalInt.empty());
  }

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,9}");

  public PrefsChange {
    model = Objects.requireNonNull(model, "model").map(String::strip).filter(s -> !s.isEmpty());
    strategy =
        Objects.requireNonNull(strategy, "strategy").map(String::strip).filter(s -> !s.isEmpty());
    Objects.requireNonNull(steps, "steps");
    Objects.requireNonNull(grid, "grid");
  }

  /** True when a value is given to save. */
  public boolean setsValues() {
    return model.isPresent() || strategy.isPresent() || steps.isPresent() || grid.isPresent();
  }

  /**
   * Reads the text form, the same on every platform that takes text: {@code model=tiny
   * strategy=adam steps=50 grid=4} (any of them, in any order; {@code key:value} works too), {@code
   * clear} (with values after it: only those are kept), or nothing (show).
   *
   * @throws PrefsException naming the word that is wrong and what is accepted
   */
  public static PrefsChange parse(String text) {
    String line = text == null ? "" : text.strip();
    if (line.isEmpty()) {
      return SHOW;
    }
    boolean clear = false;
    Optional<String> model = Optional.empty();
    Optional<String> strategy = Optional.empty();
    OptionalInt steps = OptionalInt.empty();
    OptionalInt grid = OptionalInt.empty();
    for (String word : line.split("\\s+")) {
      if (word.equalsIgnoreCase("clear")) {
        clear = true;
        continue;
      }
      int separator = firstOf(word, '=', ':');
      if (separator < 0) {
        throw unknown(word);
      }
      String key = word.substring(0, separator).toLowerCase(Locale.ROOT);
      String value = word.substring(separator + 1);
      if (!key.equals("model")
          && !key.equals("strategy")
          && !key.equals("steps")
          && !key.equals("grid")) {
        throw unknown(word);
      }
      if (value.isEmpty()) {
        throw new PrefsException(key + " needs a value, e.g. " + example(key) + ".");
      }
      boolean twice =
          switch (key) {
            case "model" -> model.isPresent();
            case "strategy" -> strategy.isPresent();
            case "grid" -> grid.isPresent();
            default -> steps.isPresent();
          };
      if (twice) {
        throw new PrefsException(key + " is given twice; give it once.");
      }
      switch (key) {
        case "model" -> model = Optional.of(value);
        case "strategy" -> strategy = Optional.of(value);
        case "grid" -> grid = OptionalInt.of(number(key, value));
        default -> steps = OptionalInt.of(number(key, value));
      }
    }
    return new PrefsChange(clear, model, strategy, steps, grid);
  }

  private static int number(String key, String value) {
    if (!WHOLE_NUMBER.matcher(value).matches()) {
      throw new PrefsException(key + " needs a whole number, got '" + value + "'.");
    }
    return Integer.parseInt(value);
  }

  private static int firstOf(String word, char a, char b) {
    int i = word.indexOf(a);
    int j = word.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  private static PrefsException unknown(String word) {
    return new PrefsException(
        "'"
            + word
            + "' is not something /imagine-prefs sets: use model=<id>, strategy=<"
            + Arrays.stream(Strategy.values()).map(Strategy::id).collect(Collectors.joining("|"))
            + ">, steps=<number>, grid=<1|4>, or clear.");
  }

  private static String example(String key) {
    return switch (key) {
      case "model" -> "model=tiny";
      case "strategy" -> "strategy=adam";
      case "grid" -> "grid=4";
      default -> "steps=50";
    };
  }
}
