package org.imaginebot.settings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds banned words and phrases in a prompt: whole words only, ignoring case.
 *
 * <p>Banned {@code cat} matches "A CAT!" but not "concatenate" or "cats". Word characters are
 * Unicode letters, combining marks, digits and underscore. A phrase matches with any run of
 * whitespace between its words: banned {@code red panda} matches "a Red Panda" whatever spaces,
 * tabs or newlines separate the words. Entries are matched literally, so {@code c++} is safe. The
 * whole list is compiled once into one {@link Pattern}.
 */
public final class BannedWords {

  private static final BannedWords NONE = new BannedWords(List.of(), List.of(), null);
  private static final String WORD_CHAR = "[\\p{L}\\p{M}\\p{N}_]";
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private final List<String> entries;
  private final List<String> byGroup; // entry matched by capturing group i + 1
  private final Pattern pattern; // null when there are no entries

  private BannedWords(List<String> entries, List<String> byGroup, Pattern pattern) {
    this.entries = entries;
    this.byGroup = byGroup;
    this.pattern = pattern;
  }

  /** Nothing is banned. */
  public static BannedWords none() {
    return NONE;
  }

  /** Compiles {@code entries}; blank entries are ignored. */
  public static BannedWords of(List<String> entries) {
    List<String> kept = new ArrayList<>();
    for (String entry : entries) {
      Objects.requireNonNull(entry, "banned entry");
      if (!entry.isBlank()) {
        kept.add(entry.strip());
      }
    }
    if (kept.isEmpty()) {
      return NONE;
    }
    // Longer entries first, so that "red panda" is reported rather than "red" at the same place.
    List<String> byGroup = new ArrayList<>(kept);
    byGroup.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder regex = new StringBuilder("(?<!" + WORD_CHAR + ")(?:");
    for (int i = 0; i < byGroup.size(); i++) {
      if (i > 0) {
        regex.append('|');
      }
      regex.append('(');
      String[] words = WHITESPACE.split(byGroup.get(i));
      for (int w = 0; w < words.length; w++) {
        if (w > 0) {
          regex.append("\\s+");
        }
        regex.append(Pattern.quote(words[w]));
      }
      regex.append(')');
    }
    regex.append(")(?!" + WORD_CHAR + ")");
    Pattern pattern =
        Pattern.compile(
            regex.toString(),
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    return new BannedWords(List.copyOf(kept), List.copyOf(byGroup), pattern);
  }

  /** The entries, in the order given. */
  public List<String> entries() {
    return entries;
  }

  /** The banned entry found earliest in {@code text}, as it was given; empty when none is there. */
  public Optional<String> firstIn(String text) {
    if (pattern == null || text == null || text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    for (int g = 1; g <= byGroup.size(); g++) {
      if (m.start(g) >= 0) {
        return Optional.of(byGroup.get(g - 1));
      }
    }
    throw new IllegalStateException("a match without a group for " + text);
  }

  @Override
  public String toString() {
    return "BannedWords" + entries;
  }
}
