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
 */
public final class PromptParser {

  private static final Pattern WEIGHT_SUFFIX =
      Pattern.compile("^(.*?):\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*$");

  private PromptParser() {}

  public static List<WeightedPrompt> parse(String input) {
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException("prompt may not be empty: describe the image you want");
    }
    List<WeightedPrompt> prompts = new ArrayList<>();
    for (String part : input.split("\\|")) {
      if (part.isBlank()) {
        throw new IllegalArgumentException(
            "prompt has an empty part between '|' separators: \"" + input.strip() + "\"");
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
      all.add(new WeightedPrompt(negative, -1.0));
    }
    return List.copyOf(all);
  }
}
