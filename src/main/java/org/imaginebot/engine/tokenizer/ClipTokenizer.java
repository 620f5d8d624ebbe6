package org.imaginebot.engine.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Byte-pair-encoding tokenizer that reproduces OpenAI CLIP's {@code simple_tokenizer.py} id for id.
 *
 * <p>Text is cleaned as CLIP does without ftfy: HTML character references are unescaped twice
 * (Python's {@code html.unescape} rules), whitespace runs collapse to one space, the ends are
 * stripped and the result is lower-cased. It is then split into words with CLIP's regular
 * expression, each word's UTF-8 bytes are mapped to GPT-2's printable byte alphabet and merged with
 * the 48,894 ranked merges of {@code bpe_simple_vocab_16e6.txt.gz}. {@link #tokenize} frames the
 * ids with {@link #START_OF_TEXT} and {@link #END_OF_TEXT} in a {@link #CONTEXT_LENGTH}-long,
 * zero-padded row, truncating like {@code clip.tokenize(text, truncate=True)}.
 *
 * <p>Known differences from Python: characters added or reclassified after Unicode 13 (Java 17's
 * tables) may split differently, lone surrogates are encoded as {@code '?'} (Python raises), and
 * only HTML's legacy named references and a set of common ones are decoded (other names stay
 * literal). Instances are immutable and thread-safe; {@link #load()} returns a shared one.
 */
public final class ClipTokenizer {

  public static final int CONTEXT_LENGTH = 77;
  public static final int START_OF_TEXT = 49406;
  public static final int END_OF_TEXT = 49407;

  static final String VOCAB_RESOURCE = "/clip/bpe_simple_vocab_16e6.txt.gz";

  /** Merges used by CLIP: {@code merges[1:49152-256-2+1]}. */
  private static final int MERGE_COUNT = 49152 - 256 - 2;

  private static final int CACHE_LIMIT = 100_000;

  /*
   * CLIP's word pattern. UNICODE_CHARACTER_CLASS makes \s Unicode White_Space, as in Python's
   * regex module. U+0345 is excluded from the last class because regex, under IGNORECASE, matches
   * it with no alternative (it case-folds to the letter iota), so Python silently drops it.
   */
  private static final Pattern WORD =
      Pattern.compile(
          "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d"
              + "|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}\\x{345}]+",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final char[] BYTE_CHARS = byteChars();

  private static volatile ClipTokenizer shared;

  private final Map<String, Integer> vocabulary;

  /** Merge ranks keyed by {@code "first second"}; symbols never contain a space. */
  private final Map<String, Integer> mergeRanks;

  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  private ClipTokenizer(List<String> merges) {
    // Python lists printable bytes first, then the remapped ones: ascending by mapped char.
    char[] byteVocab = BYTE_CHARS.clone();
    Arrays.sort(byteVocab);
    List<String> vocab = new ArrayList<>();
    for (char c : byteVocab) {
      vocab.add(String.valueOf(c));
    }
    for (char c : byteVocab) {
      vocab.add(c + "</w>");
    }
    Map<String, Integer> ranks = new HashMap<>();
    for (String merge : merges) {
      String[] pair = merge.trim().split("\\s+");
      if (pair.length != 2) {
        throw new IllegalStateException("Malformed merge line in " + VOCAB_RESOURCE + ": " + merge);
      }
      ranks.put(pair[0] + " " + pair[1], ranks.size());
      vocab.add(pair[0] + pair[1]);
    }
    vocab.add("<|startoftext|>");
    vocab.add("<|endoftext|>");
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < vocab.size(); i++) {
      ids.put(vocab.get(i), i); // later duplicates win, as in Python's dict(zip(...))
    }
    this.vocabulary = Map.copyOf(ids);
    this.mergeRanks = Map.copyOf(ranks);
    // The special tokens bypass BPE (Python seeds its cache with them).
    cache.put("<|startoftext|>", new int[] {START_OF_TEXT});
    cache.put("<|endoftext|>", new int[] {END_OF_TEXT});
  }

  /** Returns the shared tokenizer, reading the classpath vocabulary on first use. */
  public static ClipTokenizer load() {
    ClipTokenizer result = shared;
    if (result == null) {
      synchronized (ClipTokenizer.class) {
        result = shared;
        if (result == null) {
          result = fromResource(VOCAB_RESOURCE);
          shared = result;
        }
      }
    }
    return result;
  }

  /** Reads a gzipped CLIP merges file from the classpath (not cached). */
  static ClipTokenizer fromResource(String resource) {
    InputStream raw = ClipTokenizer.class.getResourceAsStream(resource);
    if (raw == null) {
      throw new IllegalStateException(
          "CLIP vocabulary resource not found on the classpath: " + resource);
    }
    try (InputStream in = new GZIPInputStream(raw)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      if (lines.length <= MERGE_COUNT) {
        throw new IllegalStateException("Truncated CLIP vocabulary resource: " + resource);
      }
      return new ClipTokenizer(Arrays.asList(lines).subList(1, MERGE_COUNT + 1));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read CLIP vocabulary resource " + resource, e);
    }
  }

  /** BPE ids of {@code text}, without the start and end tokens. */
  public int[] encode(String text) {
    String cleaned =
        pythonLower(
            pythonStrip(
                WHITESPACE
                    .matcher(pythonStrip(Html.unescape(Html.unescape(text))))
                    .replaceAll(" ")));
    List<int[]> parts = new ArrayList<>();
    int total = 0;
    Matcher words = WORD.matcher(cleaned);
    while (words.find()) {
      int[] ids = wordIds(words.group());
      parts.add(ids);
      total += ids.length;
    }
    int[] result = new int[total];
    int at = 0;
    for (int[] ids : parts) {
      System.arraycopy(ids, 0, result, at, ids.length);
      at += ids.length;
    }
    return result;
  }

  /**
   * Exactly {@link #CONTEXT_LENGTH} ids: start, BPE ids, end, zero padding. Longer input is cut to
   * the first 77 ids with the last replaced by {@link #END_OF_TEXT}.
   */
  public long[] tokenize(String text) {
    int[] ids = encode(text);
    long[] row = new long[CONTEXT_LENGTH];
    row[0] = START_OF_TEXT;
    int kept = Math.min(ids.length, CONTEXT_LENGTH - 2);
    for (int i = 0; i < kept; i++) {
      row[i + 1] = ids[i];
    }
    // Same row as Python's tokens[:77] with the last overwritten by the end token.
    row[kept + 1] = END_OF_TEXT;
    return row;
  }

  /** Number of ids {@code text} needs including start and end; above 77 it will be truncated. */
  public int tokenCount(String text) {
    return encode(text).length + 2;
  }

  private int[] wordIds(String word) {
    int[] cached = cache.get(word);
    if (cached != null) {
      return cached;
    }
    byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
    List<String> symbols = new ArrayList<>(utf8.length);
    for (byte b : utf8) {
      symbols.add(String.valueOf(BYTE_CHARS[b & 0xFF]));
    }
    symbols.set(symbols.size() - 1, symbols.get(symbols.size() - 1) + "</w>");
    while (symbols.size() > 1) {
      String first = null;
      String second = null;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        Integer rank = mergeRanks.get(symbols.get(i) + " " + symbols.get(i + 1));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          first = symbols.get(i);
          second = symbols.get(i + 1);
        }
      }
      if (first == null) {
        break;
      }
      // Merge every occurrence of the best pair, scanning left to right without overlap.
      List<String> merged = new ArrayList<>(symbols.size());
      for (int i = 0; i < symbols.size(); i++) {
        if (i + 1 < symbols.size()
            && symbols.get(i).equals(first)
            && symbols.get(i + 1).equals(second)) {
          merged.add(first + second);
          i++;
        } else {
          merged.add(symbols.get(i));
        }
      }
      symbols = merged;
    }
    int[] ids = new int[symbols.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = vocabulary.get(symbols.get(i));
    }
    if (cache.size() < CACHE_LIMIT) {
      cache.put(word, ids);
    }
    return ids;
  }

  /** Python's {@code str.strip()}: Unicode White_Space plus the separators U+001C..U+001F. */
  private static String pythonStrip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isPythonSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isPythonSpace(char c) {
    return (c >= '\t' && c <= '\r')
        || (c >= 0x1C && c <= ' ')
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /**
   * Python's {@code str.lower()}. Java agrees except for capital sigma, whose final form Java
   * chooses by word boundaries while Python uses Unicode's Final_Sigma context: a cased letter
   * before it and none after it, skipping case-ignorable characters on both sides.
   */
  private static String pythonLower(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int from = 0;
    for (int sigma = s.indexOf('\u03a3'); sigma >= 0; sigma = s.indexOf('\u03a3', from)) {
      out.append(s.substring(from, sigma).toLowerCase(Locale.ROOT));
      out.append(casedAround(s, sigma, -1) && !casedAround(s, sigma, 1) ? '\u03c2' : '\u03c3');
      from = sigma + 1;
    }
    return out.append(s.substring(from).toLowerCase(Locale.ROOT)).toString();
  }

  /**
   * Whether the nearest character before (-1) or after (+1) {@code index} that is not
   * case-ignorable is cased.
   */
  private static boolean casedAround(String s, int index, int direction) {
    int i = direction < 0 ? index : index + 1;
    while (direction < 0 ? i > 0 : i < s.length()) {
      int cp = direction < 0 ? s.codePointBefore(i) : s.codePointAt(i);
      i += direction * Character.charCount(cp);
      if (!isCaseIgnorable(cp)) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
      }
    }
    return false;
  }

  /**
   * Unicode Case_Ignorable: Mn, Me, Cf, Lm, Sk and the Word_Break MidLetter/MidNumLet/Single_Quote
   * marks.
   */
  private static boolean isCaseIgnorable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.FORMAT,
          Character.MODIFIER_LETTER,
          Character.MODIFIER_SYMBOL ->
          true;
      default ->
          "'.:\u00b7\u0387\u055f\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
                  .indexOf(cp)
              >= 0;
    };
  }

  /**
   * GPT-2's {@code bytes_to_unicode}: printable Latin-1 bytes map to themselves, the other 68 bytes
   * to U+0100 onwards in byte order. Indexed by unsigned byte value.
   */
  private static char[] byteChars() {
    char[] byByte = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      byByte[b] = printable ? (char) b : (char) next++;
    }
    return byByte;
  }

  /**
   * Python's {@code html.unescape}: numeric references with HTML5's fix-ups, named references with
   * or without {@code ;} for the legacy Latin-1 names, longest legacy prefix otherwise.
   */
  private static final class Html {

    private static final Pattern REFERENCE =
        Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)");

    /** HTML5 replacements for references to U+0080..U+009F (Windows-1252). */
    private static final String C1_REPLACEMENTS =
        "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021"
            + "\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022"
            + "\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

    /** Names valid without ';' (HTML5 legacy), in code point order from U+00A0. */
    private static final String LATIN1 =
        "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf"
            + " laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo"
            + " frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave"
            + " Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml"
            + " times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml"
            + " aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve"
            + " oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

    /**
     * Names valid only with ';' (name, hex code points): common typography, then every HTML5 name
     * that starts with a legacy name, so that prefix matching never mis-decodes them.
     */
    private static final String WITH_SEMICOLON =
        """
        apos 27, hellip 2026, mdash 2014, ndash 2013, lsquo 2018, rsquo 2019, sbquo 201A,
        ldquo 201C, rdquo 201D, bdquo 201E, lsaquo 2039, rsaquo 203A, bull 2022, trade 2122,
        euro 20AC, dagger 2020, Dagger 2021, permil 2030, prime 2032, Prime 2033, larr 2190,
        rarr 2192, uarr 2191, darr 2193, harr 2194, hearts 2665, spades 2660, clubs 2663,
        diams 2666, infin 221E, minus 2212, ne 2260, le 2264, ge 2265, asymp 2248, sum 2211,
        radic 221A, OElig 152, oelig 153, Scaron 160, scaron 161, Yuml 178, fnof 192, circ 2C6,
        tilde 2DC, ensp 2002, emsp 2003, thinsp 2009, zwnj 200C, zwj 200D, lrm 200E, rlm 200F,
        centerdot B7, copysr 2117, divideontimes 22C7, gtcc 2AA7, gtcir 2A7A, gtdot 22D7,
        gtlPar 2995, gtquest 2A7C, gtrapprox 2A86, gtrarr 2978, gtrdot 22D7, gtreqless 22DB,
        gtreqqless 2A8C, gtrless 2277, gtrsim 2273, ltcc 2AA6, ltcir 2A79, ltdot 22D6,
        lthree 22CB, ltimes 22C9, ltlarr 2976, ltquest 2A7B, ltri 25C3, ltrie 22B4, ltrif 25C2,
        ltrPar 2996, notin 2209, notindot 22F5 338, notinE 22F9 338, notinva 2209, notinvb 22F7,
        notinvc 22F6, notni 220C, notniva 220C, notnivb 22FE, notnivc 22FD, parallel 2225,
        timesb 22A0, timesbar 2A31, timesd 2A30""";

    private static final Map<String, String> NAMED = namedReferences();

    static String unescape(String s) {
      if (s.indexOf('&') < 0) {
        return s;
      }
      return REFERENCE
          .matcher(s)
          .replaceAll(m -> Matcher.quoteReplacement(replacement(m.group(1))));
    }

    private static String replacement(String ref) {
      if (ref.charAt(0) == '#') {
        boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
        BigInteger value =
            new BigInteger(ref.substring(hex ? 2 : 1).replace(";", ""), hex ? 16 : 10);
        int cp = value.bitLength() > 21 ? Integer.MAX_VALUE : value.intValue();
        if (cp == 0) {
          return "\uFFFD";
        } else if (cp == 0x0D) {
          return "\r";
        } else if (cp >= 0x80 && cp <= 0x9F) {
          return String.valueOf(C1_REPLACEMENTS.charAt(cp - 0x80));
        } else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
          return "\uFFFD";
        } else if ((cp >= 0x01 && cp <= 0x08)
            || cp == 0x0B
            || (cp >= 0x0E && cp <= 0x1F)
            || cp == 0x7F
            || (cp >= 0xFDD0 && cp <= 0xFDEF)
            || (cp & 0xFFFE) == 0xFFFE) {
          return ""; // HTML5 "invalid code points" are dropped
        }
        return Character.toString(cp);
      }
      String named = NAMED.get(ref);
      if (named != null) {
        return named;
      }
      for (int length = ref.length() - 1; length > 1; length--) {
        named = NAMED.get(ref.substring(0, length));
        if (named != null) {
          return named + ref.substring(length);
        }
      }
      return "&" + ref;
    }

    private static Map<String, String> namedReferences() {
      Map<String, String> names = new HashMap<>();
      String[] latin1 = LATIN1.split(" ");
      for (int i = 0; i < latin1.length; i++) {
        names.put(latin1[i], String.valueOf((char) (0xA0 + i)));
      }
      for (String ascii :
          new String[] {
            "amp &",
            "AMP &",
            "lt <",
            "LT <",
            "gt >",
            "GT >",
            "quot \"",
            "QUOT \"",
            "COPY \u00a9",
            "REG \u00ae"
          }) {
        names.put(ascii.substring(0, ascii.indexOf(' ')), ascii.substring(ascii.indexOf(' ') + 1));
      }
      Map<String, String> all = new HashMap<>();
      names.forEach(
          (name, value) -> {
            all.put(name, value);
            all.put(name + ";", value);
          });
      for (String entry : WITH_SEMICOLON.split(",")) {
        String[] parts = entry.trim().split(" ");
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
          value.appendCodePoint(Integer.parseInt(parts[i], 16));
        }
        all.put(parts[0] + ";", value.toString());
      }
      return Map.copyOf(all);
    }
  }
}
