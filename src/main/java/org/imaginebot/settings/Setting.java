package org.imaginebot.settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.imaginebot.request.Strategy;

/**
 * A per-scope setting that moderators may change from chat, e.g. {@code /imagine-admin set maxSteps
 * 300}.
 *
 * <p>Each setting has the {@link #id()} moderators type, a one-line {@link #description()} for help
 * and autocomplete, and parses and validates its text value. Ranged settings take whole numbers;
 * list settings take comma-separated entries, where {@code *} means "all" (strategies, models,
 * channels) and {@code none} or an empty value means no banned words.
 */
public enum Setting {
  MAX_QUEUED_PER_USER("maxQueuedPerUser", "jobs one user may have waiting", 1, 100),
  REQUESTS_PER_MINUTE("requestsPerMinute", "requests one user may make per minute", 1, 600),
  SCOPE_REQUESTS_PER_MINUTE(
      "scopeRequestsPerMinute", "requests the whole server may make per minute", 1, 10_000),
  MAX_STEPS("maxSteps", "most optimization steps one image may take", 1, 100_000),
  MAX_SIZE("maxSize", "largest output image side in pixels", 16, 2048),
  STRATEGIES("strategies", "strategies users may pick (* for all)", Kind.IDS),
  MODELS("models", "models users may pick (* for all)", Kind.IDS),
  BANNED_WORDS("bannedWords", "words or phrases refused in prompts (none for none)", Kind.WORDS),
  CHANNELS("channels", "channel ids the bot answers in (* for all)", Kind.IDS),
  GPU_CONCURRENCY("gpuConcurrency", "jobs of this server that may run at once", 1, 64),
  DAILY_IMAGES_PER_USER(
      "dailyImagesPerUser",
      "images one user may have made per day, cached ones free, moderators exempt (0: no limit)",
      0,
      100_000);

  /** Most entries a list setting may hold, so that one value stays small in memory and storage. */
  static final int MAX_ENTRIES = 200;

  /** Longest entry of a list setting, in characters. */
  static final int MAX_ENTRY_LENGTH = 100;

  private static final Pattern ID_ENTRY =
      Pattern.compile("[^\\s,*'\"]{1," + MAX_ENTRY_LENGTH + "}");
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private enum Kind {
    WHOLE,
    IDS,
    WORDS
  }

  private final String id;
  private final String description;
  private final Kind kind;
  private final int min;
  private final int max;

  Setting(String id, String description, int min, int max) {
    this.id = id;
    this.description = description + " (" + min + "-" + max + ")";
    this.kind = Kind.WHOLE;
    this.min = min;
    this.max = max;
  }

  Setting(String id, String description, Kind kind) {
    this.id = id;
    this.description = description;
    this.kind = kind;
    this.min = 0;
    this.max = 0;
  }

  /** What moderators type, in camelCase: {@code maxSteps}. */
  public String id() {
    return id;
  }

  /** One line for help and autocomplete, with the range for numbers. */
  public String description() {
    return description;
  }

  /** What the setting accepts, as refusals show it: {@code a whole number from 1 to 100}. */
  public String allowedValues() {
    return switch (this) {
      case STRATEGIES -> "'*' or a comma-separated list of " + strategyIds();
      case MODELS -> "'*' or a comma-separated list of model ids";
      case CHANNELS -> "'*' or a comma-separated list of channel ids";
      case BANNED_WORDS -> "'none' or a comma-separated list of words or phrases";
      default -> "a whole number from " + min + " to " + max;
    };
  }

  /**
   * The setting a moderator means, ignoring case.
   *
   * @throws SettingException naming the known ids, and the closest one if it is a near miss
   */
  public static Setting byId(String id) {
    String typed = id == null ? "" : id.strip();
    for (Setting s : values()) {
      if (s.id.equalsIgnoreCase(typed)) {
        return s;
      }
    }
    String hint = closest(typed).map(s -> " did you mean '" + s.id + "'?").orElse("");
    throw new SettingException(
        null, "unknown setting '" + id + "';" + hint + " settings: " + ids());
  }

  /** All ids, comma-separated, in declaration order. */
  static String ids() {
    return Arrays.stream(values()).map(Setting::id).collect(Collectors.joining(", "));
  }

  private static Optional<Setting> closest(String typed) {
    String lower = typed.toLowerCase(Locale.ROOT);
    Setting best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting s : values()) {
      int d = editDistance(lower, s.id.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = s;
        bestDistance = d;
      }
    }
    return bestDistance <= 2 && !typed.isEmpty() ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one char each cost 1. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  // ---- parsing, used by ScopeSettings ----

  /** Parses a whole-number setting; {@code text} may have surrounding spaces. */
  int parseWhole(String text) {
    requireKind(Kind.WHOLE);
    int value;
    try {
      value = Integer.parseInt(text == null ? "" : text.strip());
    } catch (NumberFormatException e) {
      throw refusal(text, null);
    }
    return checkRange(value);
  }

  /** Checks a whole number against this setting's range. */
  int checkRange(int value) {
    requireKind(Kind.WHOLE);
    if (value < min || value > max) {
      throw refusal(Integer.toString(value), null);
    }
    return value;
  }

  /**
   * Parses an id list: {@code *} gives the empty set (all allowed); strategy and model ids are
   * lowercased.
   */
  SortedSet<String> parseIds(String text) {
    requireKind(Kind.IDS);
    String stripped = text == null ? "" : text.strip();
    if (stripped.equals("*")) {
      return Collections.emptySortedSet();
    }
    List<String> entries = split(stripped, text);
    if (entries.isEmpty()) {
      throw refusal(text, "use '*' for all");
    }
    return checkIds(entries, text);
  }

  /** Validates and canonicalizes ids already split; the empty collection means all. */
  SortedSet<String> checkIds(Collection<String> ids, String given) {
    requireKind(Kind.IDS);
    SortedSet<String> canonical = new TreeSet<>();
    for (String raw : ids) {
      String entry = raw == null ? "" : raw.strip();
      if (this == STRATEGIES) {
        try {
          canonical.add(Strategy.parse(entry).id());
        } catch (IllegalArgumentException e) {
          throw refusal(given, "unknown strategy '" + entry + "'");
        }
      } else if (!ID_ENTRY.matcher(entry).matches()) {
        throw refusal(given, "bad id '" + entry + "'");
      } else {
        canonical.add(this == MODELS ? entry.toLowerCase(Locale.ROOT) : entry);
      }
    }
    checkCount(canonical.size(), given);
    return Collections.unmodifiableSortedSet(canonical);
  }

  /** Parses banned words: {@code none} or blank gives the empty list. */
  List<String> parseWords(String text) {
    requireKind(Kind.WORDS);
    String stripped = text == null ? "" : text.strip();
    if (stripped.isEmpty() || stripped.equalsIgnoreCase("none")) {
      return List.of();
    }
    return checkWords(split(stripped, text), text);
  }

  /**
   * Canonicalizes banned entries: lowercased, runs of whitespace made one space, duplicates and
   * blanks dropped, first-seen order kept.
   */
  List<String> checkWords(Collection<String> words, String given) {
    requireKind(Kind.WORDS);
    Set<String> canonical = new LinkedHashSet<>();
    for (String raw : words) {
      if (raw == null) {
        throw refusal(given, "null entry");
      }
      String entry = WHITESPACE.matcher(raw.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
      if (entry.length() > MAX_ENTRY_LENGTH) {
        throw refusal(given, "an entry is longer than " + MAX_ENTRY_LENGTH + " characters");
      }
      if (entry.contains(",")) {
        throw refusal(given, "an entry contains a comma");
      }
      if (!entry.isEmpty()) {
        canonical.add(entry);
      }
    }
    checkCount(canonical.size(), given);
    return List.copyOf(canonical);
  }

  private List<String> split(String stripped, String given) {
    List<String> entries = new ArrayList<>();
    for (String part : stripped.split(",", -1)) {
      String entry = part.strip();
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    checkCount(entries.size(), given);
    return entries;
  }

  private void checkCount(int count, String given) {
    if (count > MAX_ENTRIES) {
      throw refusal(abbreviate(given), "more than " + MAX_ENTRIES + " entries");
    }
  }

  private SettingException refusal(String given, String reason) {
    return new SettingException(
        this,
        id
            + " must be "
            + allowedValues()
            + ", got '"
            + abbreviate(given)
            + "'"
            + (reason == null ? "" : " (" + reason + ")"));
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private void requireKind(Kind expected) {
    if (kind != expected) {
      throw new IllegalStateException(id + " is not a " + expected + " setting");
    }
  }

  private static String strategyIds() {
    return Arrays.stream(Strategy.values()).map(Strategy::id).collect(Collectors.joining(", "));
  }
}
