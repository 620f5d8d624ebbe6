package org.imaginebot.request;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the weighted prompt language: {@code a lighthouse | oil painting:0.5 | blurry:-1}.
 *
 * <p>Prompts are separated by {@code |}; a trailing {@code :number} is the weight (default 1); a
 * negative weight makes a negative prompt. Text that merely contains a colon ({@code 16:9 ratio})
 * keeps it: only a final {@code :number} counts as a weight.
 *
 * <p>A prompt or part with nothing visible in it (only spaces, controls or zero-width characters)
 * counts as empty. Text with an unpaired UTF-16 surrogate (half of an emoji, say) is refused: it is
 * not text, and a database stores it as something else ({@code ?} on PostgreSQL), so the job would
 * come back from the store as another request.
 */
public final class PromptParser {

  private static final Pattern WEIGHT_SUFFIX =
      Pattern.compile("^(.*?):\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*$");

  private PromptParser() {}

  public static List<WeightedPrompt> parse(String input) {
    if (input == null || blank(input)) {
      throw new IllegalArgumentException("prompt may not be empty: describe the image you want");
    }
    checkCharacters(input);
    List<WeightedPrompt> prompts = new ArrayList<>();
    for (String part : input.split("\\|", -1)) { // -1: a trailing "|" leaves an empty part
      if (blank(part)) {
        throw new IllegalArgumentException(
            "prompt has an empty part between '|' separators: \"" + Echo.of(input.strip()) + "\"");
      }
      Matcher m = WEIGHT_SUFFIX.matcher(part);
      if (m.matches() && !m.group(1).isBlank()) {
        prompts.add(new WeightedPrompt(m.group(1), Double.parseDouble(m.group(2))));
      } else {
        prompts.add(new WeightedPrompt(part, 1.0));
      }
    }
    return List.copyOf(prompts);
  }

  /** Adds negative prompts (weight -1) given separately, e.g. by {@code --no}. */
  public static List<WeightedPrompt> withNegatives(
      List<WeightedPrompt> prompts, List<String> negatives) {
    List<WeightedPrompt> all = new ArrayList<>(prompts);
    for (String negative : negatives) {
      if (negative == null || blank(negative)) {
        throw new IllegalArgumentException(
            "negative prompt may not be empty: name what to keep out of the image, or leave it out");
      }
      checkCharacters(negative);
      all.add(new WeightedPrompt(negative, -1.0));
    }
    return List.copyOf(all);
  }

  /**
   * True when {@code text} shows nothing: only whitespace, controls, format characters (zero-width
   * spaces, joiners, direction marks) and the Hangul fillers, which render as blanks.
   */
  static boolean blank(String text) {
    return text.codePoints()
        .allMatch(
            cp ->
                Character.isWhitespace(cp)
                    || Character.isSpaceChar(cp)
                    || Character.getType(cp) == Character.CONTROL
                    || Character.getType(cp) == Character.FORMAT
                    || cp == 0x115F
                    || cp == 0x1160
                    || cp == 0x3164
                    || cp == 0xFFA0);
  }

  /** Refuses text with an unpaired surrogate, which no database or chat platform keeps as is. */
  private static void checkCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "prompt has a broken character (half of a character such as an emoji, "
                + Echo.of(String.valueOf(c))
                + ", at position "
                + (i + 1)
                + "); retype the prompt without it");
      }
    }
  }
}
