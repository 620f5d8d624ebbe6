package org.imaginebot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One generated command of {@link FuzzCases}: pieces of prompt text and options, rendered as the
 * request line Slack and the command line send ({@link #line}) or split as Discord's slash command
 * sends them ({@link #prompt} and {@link #options}).
 *
 * @param index its place in the run, from 0 (with the seed, enough to make it again)
 * @param kind the nasty piece it was built around, e.g. {@code zero_width}: a histogram key
 * @param parts text and options in the order typed
 * @param separator what joins the parts: usually a space, at times a newline, a tab or a no-break
 *     space
 */
public record FuzzCase(int index, String kind, List<Part> parts, String separator) {

  /** The options Discord's {@code /imagine} has a field for, by their line flag names. */
  private static final Set<String> DISCORD_FIELDS =
      Set.of("no", "seed", "steps", "size", "model", "strategy");

  public FuzzCase {
    Objects.requireNonNull(kind, "kind");
    parts = List.copyOf(parts);
    Objects.requireNonNull(separator, "separator");
  }

  /** One piece of a command. */
  public sealed interface Part {
    /** The piece as typed in a request line. */
    String render();
  }

  /** Words that are not an option (though they may look like one to a person). */
  public record Text(String text) implements Part {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String render() {
      return text;
    }
  }

  /**
   * An option as typed: {@code --steps 5}, {@code --steps=5}, {@code —SEED 3} or a bare {@code
   * --no}.
   *
   * @param typed the flag as typed, dashes included
   * @param value its value, or null for none
   * @param inline {@code --flag=value} rather than {@code --flag value}
   */
  public record Option(String typed, String value, boolean inline) implements Part {
    public Option {
      Objects.requireNonNull(typed, "typed");
    }

    /** The flag's lower-case name after its dashes ({@code --} or an em dash). */
    public String name() {
      String name = typed.startsWith("--") ? typed.substring(2) : typed.replaceFirst("^\u2014", "");
      return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String render() {
      if (value == null) {
        return typed;
      }
      return inline ? typed + "=" + value : typed + " " + value;
    }
  }

  /** The request line: every part, joined by the separator. */
  public String line() {
    List<String> rendered = new ArrayList<>();
    for (Part part : parts) {
      rendered.add(part.render());
    }
    return String.join(separator, rendered);
  }

  /**
   * What a Discord user types in the {@code prompt} field: the text parts, and the options the
   * slash command has no field for (or given again), as typed.
   */
  public String prompt() {
    List<String> rendered = new ArrayList<>();
    Set<String> taken = options().keySet();
    Map<String, Boolean> used = new LinkedHashMap<>();
    for (Part part : parts) {
      if (part instanceof Option option
          && taken.contains(option.name())
          && used.putIfAbsent(option.name(), true) == null) {
        continue;
      }
      rendered.add(part.render());
    }
    return String.join(separator, rendered);
  }

  /**
   * The first value of each option Discord's slash command has a field for ({@code no} is the
   * {@code negative} field), by flag name, in the order typed.
   */
  public Map<String, String> options() {
    Map<String, String> options = new LinkedHashMap<>();
    for (Part part : parts) {
      if (part instanceof Option option
          && option.value() != null
          && DISCORD_FIELDS.contains(option.name())) {
        options.putIfAbsent(option.name(), option.value());
      }
    }
    return options;
  }

  /**
   * The line as a Java string literal (controls, invisible and non-ASCII characters escaped), so a
   * failure can be pasted into a test; lines over {@code max} characters show their start and their
   * length.
   */
  public static String literal(String text, int max) {
    StringBuilder sb = new StringBuilder("\"");
    int shown = Math.min(text.length(), max);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            sb.append(c);
          } else {
            sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
          }
        }
      }
    }
    sb.append('"');
    if (shown < text.length()) {
      sb.append(" ... (").append(text.length()).append(" chars)");
    }
    return sb.toString();
  }
}
