package org.imaginebot.request;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.imaginebot.request.LineTokenizer.Token;

/**
 * Parses the request line every adapter accepts: {@code a lighthouse in a storm | oil painting:0.5
 * --no blurry --steps 300 --seed 7}.
 *
 * <p>Options may come anywhere and in any order, as {@code --flag value} or {@code --flag=value};
 * their names ignore case, and an em dash ({@code —seed}, what phones make of {@code --}) works as
 * {@code --}. {@code --seed random} asks for a new random seed (without {@code --seed} the bot may
 * derive one from the request, so that a repeat comes from the cache). {@code --seed}, {@code
 * --steps}, {@code --size}, {@code --model} and {@code --strategy} take one token and may be given
 * once. {@code --no} may be repeated; its value runs up to the next option, so {@code --no blurry
 * dark} avoids "blurry dark", and it uses the prompt language too ({@code --no blurry | text:0.5}
 * gives two negatives, weights -1 and -0.5). All other words, in order and joined by single spaces,
 * are the prompt, read by {@link PromptParser}. Double quotes group words into one value ({@code
 * --no "low quality"}) and keep text such as {@code "--no"} in the prompt; in the prompt the quotes
 * themselves are kept.
 *
 * <p>Every error is a {@link RequestException} whose message names the bad token and what is
 * allowed.
 */
public final class RequestParser {

  /**
   * Largest seed accepted: 2^53-1, the largest integer every chat platform's JSON can carry
   * exactly.
   */
  public static final long MAX_SEED = (1L << 53) - 1;

  /** Longest request line accepted, in characters; longer lines are refused before any parsing. */
  public static final int MAX_LINE_LENGTH = 4000;

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");
  private static final String EM_DASH = "\u2014";

  /** {@code --seed random}: a new image instead of the one this request names. */
  private static final String RANDOM_SEED = "random";

  /** The options, in the order the help lists them. */
  private enum Option {
    NO("the text to keep out of the image, e.g. --no blurry"),
    SEED("a whole number from 0 to " + MAX_SEED + ", or random for a new image"),
    STEPS("a whole number"),
    SIZE("a whole number of pixels"),
    MODEL("a model id"),
    STRATEGY("one of " + Strategy.allowed()),
    GRID(GenerationRequest.GRID + " for a contact sheet of " + GenerationRequest.GRID + " seeds");

    private final String valueHelp;

    Option(String valueHelp) {
      this.valueHelp = valueHelp;
    }

    String flag() {
      return "--" + name().toLowerCase(Locale.ROOT);
    }

    static String all() {
      return Arrays.stream(values()).map(Option::flag).collect(Collectors.joining(", "));
    }
  }

  /**
   * A token that looks like an option.
   *
   * @param typed the flag as typed, without {@code =value}: {@code —SEED}
   * @param name the lower-case name after the dashes: {@code seed}
   * @param inline the text after {@code =}, or null
   */
  private record Flag(String typed, String name, String inline) {}

  private RequestParser() {}

  /**
   * Parses one request line.
   *
   * @throws RequestException naming the bad token when the line cannot be a request
   */
  public static ParsedRequest parse(String line) {
    Objects.requireNonNull(line, "line");
    if (line.length() > MAX_LINE_LENGTH) {
      throw new RequestException(
          "request is too long: at most " + MAX_LINE_LENGTH + " characters, got " + line.length(),
          "");
    }
    List<Token> tokens = LineTokenizer.tokenize(line);
    List<String> words = new ArrayList<>();
    List<WeightedPrompt> negatives = new ArrayList<>();
    Set<Option> seen = EnumSet.noneOf(Option.class);
    OptionalLong seed = OptionalLong.empty();
    boolean freshSeed = false;
    OptionalInt steps = OptionalInt.empty();
    OptionalInt size = OptionalInt.empty();
    Optional<String> model = Optional.empty();
    Optional<Strategy> strategy = Optional.empty();
    OptionalInt grid = OptionalInt.empty();
    boolean noRanToEnd = false;

    int i = 0;
    while (i < tokens.size()) {
      Token token = tokens.get(i);
      Flag flag = flag(token);
      if (flag == null) {
        if (!token.value().isBlank()) {
          words.add(token.raw());
        }
        i++;
        continue;
      }
      Option option = option(flag);
      if (option == Option.NO) {
        List<String> parts = new ArrayList<>();
        if (flag.inline() != null) {
          parts.add(flag.inline());
        }
        i++;
        while (i < tokens.size() && flag(tokens.get(i)) == null) {
          parts.add(tokens.get(i).value());
          i++;
        }
        noRanToEnd = i == tokens.size();
        negatives.addAll(negatives(join(parts), flag));
        continue;
      }
      String value;
      if (flag.inline() != null) {
        value = flag.inline();
        i++;
      } else if (i + 1 < tokens.size() && flag(tokens.get(i + 1)) == null) {
        value = tokens.get(i + 1).value();
        i += 2;
      } else {
        throw missingValue(option, flag);
      }
      value = value.strip();
      if (value.isEmpty()) {
        throw missingValue(option, flag);
      }
      if (!seen.add(option)) {
        throw new RequestException(option.flag() + " is given twice; give it once", flag.typed());
      }
      switch (option) {
        case SEED -> {
          if (value.equalsIgnoreCase(RANDOM_SEED)) {
            freshSeed = true;
          } else {
            seed = OptionalLong.of(seed(value));
          }
        }
        case STEPS -> steps = OptionalInt.of(wholeInt(option, value));
        case SIZE -> size = OptionalInt.of(wholeInt(option, value));
        case MODEL -> model = Optional.of(value);
        case STRATEGY -> strategy = Optional.of(strategy(value));
        case GRID -> grid = OptionalInt.of(wholeInt(option, value));
        default -> throw new IllegalStateException("unhandled option " + option);
      }
    }

    String prompt = String.join(" ", words);
    if (PromptParser.blank(prompt)) {
      String hint =
          noRanToEnd ? "; the words after --no, up to the next option, are what to avoid" : "";
      throw new RequestException(
          "prompt may not be empty: describe the image you want, e.g. /imagine a lighthouse in a storm"
              + hint,
          "");
    }
    List<WeightedPrompt> prompts = new ArrayList<>(prompts(prompt));
    prompts.addAll(negatives);
    return new ParsedRequest(prompts, seed, steps, size, model, strategy, freshSeed, grid);
  }

  /** The option a token names, or null when it is text; em dash counts as {@code --}. */
  private static Flag flag(Token token) {
    if (token.quoted()) {
      return null;
    }
    String text = token.value();
    int prefix = text.startsWith("--") ? 2 : text.startsWith(EM_DASH) ? 1 : 0;
    if (prefix == 0 || text.length() == prefix || !isAsciiLetter(text.charAt(prefix))) {
      return null;
    }
    int eq = text.indexOf('=', prefix);
    String typed = eq < 0 ? text : text.substring(0, eq);
    String inline = eq < 0 ? null : text.substring(eq + 1);
    return new Flag(typed, typed.substring(prefix).toLowerCase(Locale.ROOT), inline);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static Option option(Flag flag) {
    for (Option option : Option.values()) {
      if (option.name().toLowerCase(Locale.ROOT).equals(flag.name())) {
        return option;
      }
    }
    Option nearest = null;
    int best = Integer.MAX_VALUE;
    for (Option option : Option.values()) {
      int distance = distance(flag.name(), option.name().toLowerCase(Locale.ROOT));
      if (distance < best) {
        best = distance;
        nearest = option;
      }
    }
    String suggestion =
        best <= 2 && best < flag.name().length() ? " (did you mean " + nearest.flag() + "?)" : "";
    throw new RequestException(
        "unknown option '"
            + Echo.of(flag.typed())
            + "'"
            + suggestion
            + "; options: "
            + Option.all(),
        flag.typed());
  }

  private static RequestException missingValue(Option option, Flag flag) {
    return new RequestException(
        "option " + option.flag() + " needs a value: " + option.valueHelp, flag.typed());
  }

  private static List<WeightedPrompt> negatives(String text, Flag flag) {
    if (PromptParser.blank(text)) {
      throw missingValue(Option.NO, flag);
    }
    List<WeightedPrompt> parsed;
    try {
      parsed = PromptParser.parse(text);
    } catch (IllegalArgumentException e) {
      throw new RequestException("--no: " + e.getMessage(), text, e);
    }
    List<WeightedPrompt> negatives = new ArrayList<>();
    for (WeightedPrompt p : parsed) {
      negatives.add(new WeightedPrompt(p.text(), -Math.abs(p.weight())));
    }
    return negatives;
  }

  private static List<WeightedPrompt> prompts(String prompt) {
    try {
      return PromptParser.parse(prompt);
    } catch (IllegalArgumentException e) {
      throw new RequestException(e.getMessage(), prompt, e);
    }
  }

  private static long seed(String value) {
    if (!WHOLE_NUMBER.matcher(value).matches()) {
      throw new RequestException(
          "--seed needs a whole number from 0 to "
              + MAX_SEED
              + " or 'random', got '"
              + Echo.of(value)
              + "'",
          value);
    }
    long seed;
    try {
      seed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      seed = value.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    ParsedRequest.checkSeed(seed, value);
    return seed;
  }

  private static int wholeInt(Option option, String value) {
    if (!WHOLE_NUMBER.matcher(value).matches()) {
      throw new RequestException(
          option.flag() + " needs a whole number, got '" + Echo.of(value) + "'", value);
    }
    long number;
    try {
      number = Long.parseLong(value);
    } catch (NumberFormatException e) {
      number = value.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (number > Integer.MAX_VALUE) {
      throw new RequestException(
          option.flag() + " " + Echo.of(value) + " is too large: use a smaller whole number",
          value);
    }
    if (option == Option.STEPS) {
      ParsedRequest.checkSteps(number, Integer.MAX_VALUE, value);
    } else if (option == Option.SIZE) {
      ParsedRequest.checkSize(number, Integer.MAX_VALUE, value);
    } // --grid's values are checked by ParsedRequest
    return (int) number;
  }

  private static Strategy strategy(String value) {
    try {
      return Strategy.parse(value);
    } catch (IllegalArgumentException e) {
      throw new RequestException(e.getMessage(), value, e);
    }
  }

  /**
   * Optimal string alignment distance: edits plus swaps of neighbours, so "--on" is near "--no".
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String join(List<String> parts) {
    return parts.stream()
        .filter(p -> !p.isBlank())
        .map(String::strip)
        .collect(Collectors.joining(" "));
  }
}
