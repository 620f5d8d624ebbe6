package org.imaginebot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.imaginebot.bench.FuzzCase.Option;
import org.imaginebot.bench.FuzzCase.Part;
import org.imaginebot.bench.FuzzCase.Text;

/**
 * Seeded generator of hostile {@code /imagine} commands: the same seed gives the same cases.
 *
 * <p>Each case is built around one kind of nasty piece (see {@link #KINDS}): huge lines and prompts
 * (at and past every length limit, 10,000+ characters), empty and blank ones, Unicode (emoji ZWJ
 * sequences, combining marks, full-width and em-dash flags, curly quotes), right-to-left text and
 * the U+202E override, zero-width characters inside words and flags, control characters (NUL,
 * escapes, lone surrogates), flag injection (unknown, repeated, bare, mangled options), mentions
 * and markup ({@code <@everyone>}, {@code <!channel>}, {@code @here}, backticks), SQL-ish text,
 * weight-syntax abuse ({@code a:1e308 | b:-1e308 | :}, NaN, huge numbers) and option values at and
 * past every bound. About a third of the cases get one or two more pieces of other kinds mixed in,
 * and some are joined by newlines, tabs or no-break spaces.
 *
 * <p>No generated text contains the words the checks look for in answers (exception class names,
 * package names, stack frames), so a check that finds one found the bot's own text.
 */
public final class FuzzCases {

  /** The kinds of case, one chosen at random for each. */
  public static final List<String> KINDS =
      List.of(
          "plain",
          "huge",
          "empty",
          "unicode",
          "rtl",
          "zero_width",
          "control",
          "flag_injection",
          "mention",
          "sql",
          "weights",
          "bounds");

  private static final String[] WORDS = {
    "a",
    "lighthouse",
    "in",
    "a",
    "storm",
    "oil",
    "painting",
    "of",
    "the",
    "sea",
    "cat",
    "forest",
    "neon",
    "city",
    "at",
    "dusk",
    "blurry",
    "red",
    "panda",
    "castle",
    "moon"
  };

  private static final String[] PLAIN = {
    "a lighthouse in a storm",
    "oil painting of a fox | watercolor:0.5",
    "a castle at dusk --no fog",
    "neon city --strategy search",
    "a red panda --steps 5",
    "the moon over the sea --seed 42",
    "a forest --size 64 --model tiny",
    "a cat --seed random",
    "ocean waves --strategy evolve --steps 3"
  };

  private static final String[] EMPTY = {
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "\r\n",
    "\u00A0",
    "\u3000 \u2003",
    "\"\"",
    "\" \"",
    "\u201C\u201D",
    "--steps 5",
    "--no blurry",
    "--seed 3 --no fog",
    "--seed random",
    "|",
    "||",
    ":",
    ":1",
    "-",
    "--",
    "\u2014"
  };

  private static final String[] UNICODE = {
    "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66 family",
    "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08 flag",
    "\uD83E\uDD84\uD83E\uDD84\uD83E\uDD84",
    "\uD83C\uDDFA\uD83C\uDDF8\uD83C\uDDEF\uD83C\uDDF5",
    "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
    "Z\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u034F\u0334\u0319\u0324\u031E\u0349\u035A\u032F"
        + "\u031E\u0320\u034DA\u036B\u0357\u0334\u0362\u0335\u031C\u0330\u0354L\u0368\u0367\u0369"
        + "\u0358\u0320G\u0311\u0357\u030E\u0305\u035B\u0341\u0334\u033B\u0348\u034D\u0354\u0339O",
    "\u65E5\u672C\u8A9E\u306E\u706F\u53F0",
    "\uD835\uDD18\uD835\uDD2B\uD835\uDD26\uD835\uDD20\uD835\uDD2C\uD835\uDD21\uD835\uDD22",
    "\uFF0D\uFF0D\uFF53\uFF54\uFF45\uFF50\uFF53 \uFF15",
    "\u2014steps 5",
    "\u2013steps 5",
    "\u2014\u2014seed 3",
    "\u201C--no\u201D fog",
    "\u201Ea cat\u201C --no \u201Clow quality\u201D",
    "\u0130stanbul --STEPS 5",
    "stra\u00DFe \uFB03 \u03A3\u03C3\u03C2",
    "\uD801\uDC37\uD801\uDC37 deseret",
    "--st\u0113ps 5",
    "--\u0130 x",
    "\uFDFD",
    "a\u00A0cat\u2003at\u3000dusk",
    "12\" vinyl \u00BD price"
  };

  private static final String[] RTL = {
    "\u202Egnp.exe",
    "a cat \u202Etac a",
    "\u202B\u05DE\u05D2\u05D3\u05DC\u05D5\u05E8\u202C",
    "\u0645\u0646\u0627\u0631\u0629 \u0641\u064A \u0639\u0627\u0635\u0641\u0629",
    "\u200F--steps 5",
    "--steps \u202E5",
    "--seed \u202E12",
    "--model \u202Eynit",
    "\u2067isolated\u2069 text",
    "\u202D\u202E\u202A\u202B\u202C nested",
    "--no \u202Eyrrulb"
  };

  private static final String[] ZERO_WIDTH = {
    "\u200B", "\u200C", "\u200D", "\uFEFF", "\u2060", "\u180E", "\u00AD", "\u034F", "\u115F",
    "\u3164"
  };

  private static final String[] CONTROL = {
    "\u0000",
    "\u0001",
    "\u0007",
    "\u0008",
    "\u001B[31m",
    "\u001B]0;title\u0007",
    "\r",
    "\u000B",
    "\u000C",
    "\u007F",
    "\u0085",
    "\u2028",
    "\u2029",
    "\uD800",
    "\uDFFF",
    "\uDBFF",
    "\uDE00\uD83D",
    "\uD83D",
    "\uFFFE",
    "\uFFFF"
  };

  private static final String[] FLAGS = {
    "--steps",
    "--steps=",
    "--=5",
    "---steps 5",
    "--no",
    "--no --no",
    "--no=",
    "--no=--no",
    "--seed --steps 5",
    "--STEPS 5",
    "--sEeD 1",
    "--stpes 5",
    "--on fog",
    "--unknown x",
    "--help",
    "--version",
    "--set engine.maxSteps=999999",
    "--set limits.requestsPerMinute=600",
    "-steps 5",
    "-s 5",
    "--steps 5 --steps 6",
    "--seed 1 --seed 2",
    "--seed 5 --seed random",
    "--model tiny --model tiny",
    "--strategy adam --strategy search",
    "--no a --no b --no c",
    "--model ../../etc/passwd",
    "--model tiny; rm -rf /",
    "--model $(reboot)",
    "\"--no\" text",
    "\"--steps 5\"",
    "--no \"low quality\" --no \"",
    "--strategy",
    "--model",
    "--size",
    "--seed=random",
    "--seed=",
    "--a",
    "--ab",
    "--no-seed",
    "--steps=5=6",
    "--s\\teps 5",
    "--%s%n%x",
    "--${jndi:ldap://127.0.0.1/a}",
    "--\u2014steps 5",
    "--1 x",
    "-- steps 5"
  };

  private static final String[] MENTIONS = {
    "<@everyone>",
    "@everyone",
    "@here",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0123ABC>",
    "<@&123456789012345678>",
    "<@!123456789012345678>",
    "<#C0FAKE>",
    "<!subteam^S0123>",
    "<https://evil.example|click here>",
    "[free nitro](https://evil.example)",
    "`code`",
    "```block\nrm -rf /```",
    "``` unclosed",
    "**bold** __under__ ~~strike~~ ||spoiler||",
    "> quoted\n> lines",
    "# heading",
    "*",
    "_",
    "\\",
    "&amp; &lt; &gt; <b>html</b>",
    "<script>alert(1)</script>",
    "${jndi:ldap://127.0.0.1/a}",
    "{{7*7}} ${7*7} #{7*7}",
    "%s %n %x %d %1$s %%",
    "{} {0} {{}}",
    ":emoji: :shortcode:",
    "@\u200Beveryone"
  };

  private static final String[] SQL = {
    "'; DROP TABLE jobs;--",
    "\" OR 1=1 --",
    "Robert'); DROP TABLE settings_override;--",
    "1; DELETE FROM jobs",
    "' UNION SELECT request_json FROM action_ref --",
    "\\'; --",
    "'); UPDATE settings_audit SET actor_id='x'; --",
    "' OR ''='",
    "admin'--",
    "$$; DROP SCHEMA public CASCADE; $$",
    "/* comment */ SELECT 1",
    "%' AND 1=0 UNION SELECT NULL--",
    "\u02BC OR 1=1",
    "\\x00'; --"
  };

  private static final String[] WEIGHTS = {
    "a:1e308 | b:-1e308 | :",
    "a:1e308",
    ":1e308",
    "a:NaN",
    "a:Infinity",
    "a:-Infinity",
    "a:0",
    "a:-0",
    "a:0.0",
    "a:+1",
    "a:" + "9".repeat(400),
    "a:-" + "9".repeat(400),
    "a:1.7976931348623157E309",
    "a:0." + "0".repeat(400) + "1",
    "|",
    "||",
    "a||b",
    "a | | b",
    "a:-1",
    "only bad:-1",
    "bad:-1 | worse:-2",
    "a:1:2:3",
    "a: 5",
    "a :5",
    "16:9 ratio",
    "a:.5",
    "a:5.",
    "a:-",
    "a:--1",
    "a:0x10",
    "a:1_000",
    "a:\uFF15",
    "a:\u0665",
    "a | b | c | d | e | f | g | h | i | j | k | l | m | n | o | p",
    "a:1|b:1|c:-3",
    ":",
    "::",
    "a:",
    "|a",
    "a|",
    "a:1e-400",
    "a:4.9e-324"
  };

  private static final String[] STEPS = {
    "-1",
    "0",
    "1",
    "2",
    "499",
    "500",
    "501",
    "999",
    "1000",
    "1001",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "99999999999",
    "-99999999999",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0".repeat(40),
    "1e3",
    "0x10",
    "+5",
    "-0",
    "007",
    "5.0",
    "5,000",
    "\uFF15",
    "\u0665",
    "NaN",
    "Infinity",
    "five",
    "\"5\"",
    "'5'",
    "5 5"
  };

  private static final String[] SIZES = {
    "0",
    "1",
    "-16",
    "15",
    "16",
    "17",
    "63",
    "64",
    "511",
    "512",
    "513",
    "1024",
    "2047",
    "2048",
    "2049",
    "4096",
    "2147483647",
    "2147483648",
    "-2147483649",
    "99999999999",
    "512px",
    "0x200"
  };

  private static final String[] SEEDS = {
    "-5",
    "-1",
    "0",
    "1",
    "9007199254740990",
    "9007199254740991",
    "9007199254740992",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0".repeat(40),
    "random",
    "RANDOM",
    "Random",
    "random!",
    "rand",
    "-0",
    "+7",
    "1.5",
    "0x1F",
    "\uFF17",
    "NaN"
  };

  private static final String[] MODELS = {
    "tiny",
    "TINY",
    "Tiny",
    "tiny-clip",
    "tiny-clip-judge",
    "tiny-stylegan",
    "stylegan",
    "biggan-deep-256",
    "nope",
    "../models/tiny",
    "tiny\u0000",
    "tiny\u200B",
    "m".repeat(300),
    "\u202Eynit",
    "<!channel>",
    "'; DROP TABLE jobs;--"
  };

  private static final String[] STRATEGIES = {
    "adam",
    "search",
    "auto",
    "evolve",
    "ADAM",
    "Adam",
    "ad am",
    "evolv",
    "\u00E9volve",
    "\uFF41\uFF44\uFF41\uFF4D",
    "adam\u200B",
    "s".repeat(300),
    "none"
  };

  private static final String[] SEPARATORS = {"\n", "\t", "  ", "\u00A0", "\u3000", " \r\n "};

  private final SplittableRandom random;
  private int next;

  private FuzzCases(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The cases of {@code seed}, from the first. */
  public static FuzzCases seeded(long seed) {
    return new FuzzCases(seed);
  }

  /** The next {@code count} cases. */
  public List<FuzzCase> take(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    List<FuzzCase> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cases.add(next());
    }
    return cases;
  }

  /** The next case. */
  public FuzzCase next() {
    String kind = KINDS.get(random.nextInt(KINDS.size()));
    List<Part> parts = new ArrayList<>(build(kind));
    if (random.nextInt(3) == 0) { // mix in one or two pieces of other kinds
      int extra = 1 + random.nextInt(2);
      for (int i = 0; i < extra; i++) {
        List<Part> more = build(KINDS.get(random.nextInt(KINDS.size())));
        parts.addAll(random.nextInt(parts.size() + 1), more);
      }
    }
    String separator = random.nextInt(8) == 0 ? pick(SEPARATORS) : " ";
    return new FuzzCase(next++, kind, parts, separator);
  }

  private List<Part> build(String kind) {
    return switch (kind) {
      case "plain" -> parse(pick(PLAIN));
      case "huge" -> huge();
      case "empty" -> parse(pick(EMPTY));
      case "unicode" -> withWords(parse(pick(UNICODE)));
      case "rtl" -> withWords(parse(pick(RTL)));
      case "zero_width" -> zeroWidth();
      case "control" -> control();
      case "flag_injection" -> withWords(parse(pick(FLAGS)));
      case "mention" -> withWords(List.of(new Text(pick(MENTIONS))));
      case "sql" -> maybeFlag(pick(SQL));
      case "weights" -> List.of(new Text(pick(WEIGHTS)));
      case "bounds" -> bounds();
      default -> throw new IllegalStateException("unknown kind " + kind);
    };
  }

  /** Lines and prompts at and past every length limit, and single giant tokens. */
  private List<Part> huge() {
    int[] lengths = {999, 1000, 1001, 2000, 2500, 3980, 3999, 4000, 4001, 10_000, 10_001, 50_000};
    int length = lengths[random.nextInt(lengths.length)];
    return switch (random.nextInt(8)) {
      case 0 -> List.of(new Text(filler(length)));
      case 1 -> List.of(new Text("a".repeat(length)));
      case 2 -> List.of(new Text("a cat"), new Option("--" + "a".repeat(length), null, false));
      case 3 -> List.of(new Text("a cat"), new Option("--steps", "9".repeat(length), false));
      case 4 -> List.of(new Text("a cat"), new Option("--model", "m".repeat(length), true));
      case 5 -> List.of(new Text("a cat"), new Option("--no", filler(length), false));
      case 6 -> List.of(new Text("a:1 |".repeat(length / 5) + " a"));
      default ->
          List.of(new Text("\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67".repeat(length / 8)));
    };
  }

  private List<Part> zeroWidth() {
    String zw = pick(ZERO_WIDTH);
    return switch (random.nextInt(7)) {
      case 0 -> List.of(new Text(zw));
      case 1 -> List.of(new Text("a" + zw + "cat"));
      case 2 -> List.of(new Text("a cat"), new Option("--st" + zw + "eps", "5", false));
      case 3 -> List.of(new Text("a cat"), new Text(zw + "--steps"), new Text("5"));
      case 4 -> List.of(new Text("a cat"), new Option("--steps", "5" + zw, false));
      case 5 -> List.of(new Text(zw.repeat(50)), new Option("--seed", "1", false));
      default -> List.of(new Text("a cat"), new Option("--no", zw, false));
    };
  }

  private List<Part> control() {
    String c = pick(CONTROL);
    return switch (random.nextInt(6)) {
      case 0 -> List.of(new Text(c));
      case 1 -> List.of(new Text("a " + c + " cat"));
      case 2 -> List.of(new Text("a cat"), new Option("--steps", "5" + c, false));
      case 3 -> List.of(new Text("a cat"), new Option("--model", "tiny" + c, random.nextBoolean()));
      case 4 -> List.of(new Text("a cat"), new Option("--no", c + "fog", false));
      default -> List.of(new Text(c + "a lighthouse" + c), new Option("--seed", "7", false));
    };
  }

  /** One option with a value at or past its bound, among ordinary words. */
  private List<Part> bounds() {
    List<Part> parts = new ArrayList<>(List.of(new Text(words(1 + random.nextInt(4)))));
    int options = 1 + random.nextInt(3);
    for (int i = 0; i < options; i++) {
      parts.add(
          switch (random.nextInt(5)) {
            case 0 -> new Option("--steps", pick(STEPS), random.nextBoolean());
            case 1 -> new Option("--size", pick(SIZES), random.nextBoolean());
            case 2 -> new Option("--seed", pick(SEEDS), random.nextBoolean());
            case 3 -> new Option("--model", pick(MODELS), random.nextBoolean());
            default -> new Option("--strategy", pick(STRATEGIES), random.nextBoolean());
          });
    }
    return parts;
  }

  /** SQL-ish text as the prompt, or as an option's value. */
  private List<Part> maybeFlag(String text) {
    return switch (random.nextInt(4)) {
      case 0 -> List.of(new Text("a cat"), new Option("--no", text, false));
      case 1 -> List.of(new Text("a cat"), new Option("--model", text, true));
      default -> List.of(new Text(text));
    };
  }

  /** Ordinary words before the piece at times, so it is not always the whole prompt. */
  private List<Part> withWords(List<Part> parts) {
    if (random.nextBoolean()) {
      return parts;
    }
    List<Part> all = new ArrayList<>();
    all.add(new Text(words(1 + random.nextInt(3))));
    all.addAll(parts);
    return all;
  }

  /**
   * Splits a piece into text and options at its spaces (a {@code --flag} followed by a word that is
   * not one takes it as its value), so Discord gets the options as fields.
   */
  private static List<Part> parse(String piece) {
    if (piece.isEmpty() || !piece.contains("--") || piece.contains("\"") || piece.contains("\n")) {
      return List.of(new Text(piece));
    }
    String[] tokens = piece.split(" ", -1);
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i];
      boolean flag = token.startsWith("--") && token.length() > 2;
      if (!flag) {
        text.append(text.isEmpty() ? "" : " ").append(token);
        continue;
      }
      if (!text.isEmpty()) {
        parts.add(new Text(text.toString()));
        text.setLength(0);
      }
      int eq = token.indexOf('=');
      if (eq > 2) {
        parts.add(new Option(token.substring(0, eq), token.substring(eq + 1), true));
      } else if (i + 1 < tokens.length && !tokens[i + 1].startsWith("--")) {
        parts.add(new Option(token, tokens[++i], false));
      } else {
        parts.add(new Option(token, null, false));
      }
    }
    if (!text.isEmpty()) {
      parts.add(new Text(text.toString()));
    }
    return parts;
  }

  private String filler(int length) {
    StringBuilder sb = new StringBuilder(length + 16);
    while (sb.length() < length) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
    sb.setLength(length);
    return sb.toString().isBlank() ? "a".repeat(length) : sb.toString();
  }

  private String words(int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
