package org.imaginebot.request;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request line into whitespace-separated tokens; double quotes group words into one token.
 *
 * <p>Straight and curly double quotes ({@code " “ ” „}) all open and close a quoted part, since
 * phones turn one into the other. A quote without a partner is kept as a literal character, so
 * {@code a 12" vinyl} needs no escaping. A token that starts with a quote can never be read as a
 * flag.
 */
final class LineTokenizer {

  /**
   * One token.
   *
   * @param raw the text as typed, quotes included (what goes into a prompt)
   * @param value the text with the grouping quotes removed (what an option gets)
   * @param quoted true when the token starts with a quote, so {@code "--no"} stays text
   */
  record Token(String raw, String value, boolean quoted) {}

  private LineTokenizer() {}

  static List<Token> tokenize(String line) {
    int unmatched = unmatchedQuote(line);
    List<Token> tokens = new ArrayList<>();
    StringBuilder raw = new StringBuilder();
    StringBuilder value = new StringBuilder();
    boolean inToken = false;
    boolean startsQuoted = false;
    boolean inQuote = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!inQuote && isSpace(c)) {
        if (inToken) {
          tokens.add(new Token(raw.toString(), value.toString(), startsQuoted));
          raw.setLength(0);
          value.setLength(0);
          inToken = false;
        }
        continue;
      }
      boolean grouping = isQuote(c) && i != unmatched;
      if (!inToken) {
        inToken = true;
        startsQuoted = grouping;
      }
      raw.append(c);
      if (grouping) {
        inQuote = !inQuote;
      } else {
        value.append(c);
      }
    }
    if (inToken) {
      tokens.add(new Token(raw.toString(), value.toString(), startsQuoted));
    }
    return tokens;
  }

  /** Index of the last quote if the quotes do not pair up, else -1. */
  private static int unmatchedQuote(String line) {
    int open = -1;
    for (int i = 0; i < line.length(); i++) {
      if (isQuote(line.charAt(i))) {
        open = open < 0 ? i : -1;
      }
    }
    return open;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';
  }

  /** Whitespace, including the no-break spaces some clients insert. */
  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
