package org.imaginebot.request;

import java.util.Locale;

/**
 * How a message for the user shows text the user typed: short, and with nothing hidden.
 *
 * <p>Text longer than {@value #MAX_SHOWN} characters is cut there, with an ellipsis and its length,
 * so an answer always fits a chat message (Discord's hold 2,000 characters). Characters that would
 * not show or would rearrange the message are written as {@code <U+202E>}: controls (newline and
 * tab included), format characters such as zero-width spaces, the byte order mark and the
 * bidirectional overrides (so a quoted {@code U+202E} cannot reverse the rest of the answer), line
 * and paragraph separators, and unpaired surrogates. The zero-width joiners that hold emoji and
 * scripts together ({@code U+200C}, {@code U+200D}) are kept as they are.
 */
public final class Echo {

  /** Longest echo, in characters, before the ellipsis. */
  public static final int MAX_SHOWN = 100;

  private Echo() {}

  /**
   * {@code text} fit to quote in a message: {@code --steps needs a whole number, got '<U+202E>5'}.
   */
  public static String of(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 16);
    int i = 0;
    while (i < text.length() && sb.length() < MAX_SHOWN) {
      int cp = text.codePointAt(i);
      if (hidden(cp)) {
        sb.append(String.format(Locale.ROOT, "<U+%04X>", cp));
      } else {
        sb.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    if (i < text.length()) {
      sb.append("\u2026 (").append(text.length()).append(" characters)");
    }
    return sb.toString();
  }

  /**
   * {@code text} cut to at most {@code max} characters, with an ellipsis when it was longer; never
   * half an emoji (a lone surrogate is not text, and may not survive a platform's API).
   */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "\u2026";
  }

  /**
   * True when {@code cp} does not show, or changes how the text around it shows: a control, a
   * format character other than the joiners, a line or paragraph separator, or a lone surrogate.
   */
  static boolean hidden(int cp) {
    if (cp == '\u200C' || cp == '\u200D') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE;
  }
}
