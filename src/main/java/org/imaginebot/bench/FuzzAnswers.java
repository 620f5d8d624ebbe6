package org.imaginebot.bench;

import java.util.List;
import java.util.Optional;

/**
 * Whether an answer to a fuzzed command is one a user can read: not blank, no internals (exception
 * or class names, stack frames, SQL state, JDBC URLs), no more than a chat message holds, and no
 * characters that hide or rearrange text (controls, unpaired surrogates, bidirectional overrides,
 * zero-width characters). {@link FuzzCases} never generates the internal words, so finding one
 * means the bot wrote it.
 */
public final class FuzzAnswers {

  /** Discord's message limit, the smaller of the two platforms'. */
  public static final int MAX_LENGTH = 2000;

  private static final List<String> INTERNALS =
      List.of(
          "Exception",
          "Caused by",
          "\tat ",
          "org.imaginebot",
          "java.",
          "javax.",
          "com.fasterxml",
          "com.slack",
          "net.dv8tion",
          "SQLState",
          "jdbc:",
          "incident E-");

  private FuzzAnswers() {}

  /**
   * What is wrong with {@code message} as an answer, e.g. {@code internals: Exception}; empty when
   * it is a clear answer.
   */
  public static Optional<String> problem(String message) {
    if (message == null || message.isBlank()) {
      return Optional.of("blank");
    }
    for (String internal : INTERNALS) {
      if (message.contains(internal)) {
        return Optional.of("internals: " + internal.strip());
      }
    }
    if (message.length() > MAX_LENGTH) {
      return Optional.of("too long for a chat message");
    }
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (hidden(c) || unpaired(message, i)) {
        return Optional.of(String.format("hidden character U+%04X", (int) c));
      }
    }
    return Optional.empty();
  }

  /** Controls other than newline, bidirectional controls and zero-width characters. */
  private static boolean hidden(char c) {
    return (Character.isISOControl(c) && c != '\n')
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200B'
        || c == '\u200E'
        || c == '\u200F'
        || c == '\u2060'
        || c == '\uFEFF'
        || c == '\u2028'
        || c == '\u2029';
  }

  private static boolean unpaired(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
