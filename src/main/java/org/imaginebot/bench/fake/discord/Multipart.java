package org.imaginebot.bench.fake.discord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal multipart/form-data reader for the bodies JDA (OkHttp) sends: parts with a name and
 * maybe a filename.
 */
final class Multipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  /**
   * One part: its form field name, its filename (null for plain fields), its content type and its
   * bytes.
   */
  record Part(String name, String filename, String contentType, byte[] data) {}

  private Multipart() {}

  static boolean isMultipart(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  static List<Part> parse(String contentType, byte[] body) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw new IllegalArgumentException("multipart content type has no boundary: " + contentType);
    }
    byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int pos = indexOf(body, delimiter, 0);
    while (pos >= 0) {
      int afterDelimiter = pos + delimiter.length;
      if (afterDelimiter + 1 < body.length
          && body[afterDelimiter] == '-'
          && body[afterDelimiter + 1] == '-') {
        break; // closing delimiter
      }
      int headersStart = afterDelimiter + 2; // CRLF
      int headersEnd =
          indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
      int next = indexOf(body, delimiter, headersEnd);
      if (headersEnd < 0 || next < 0) {
        throw new IllegalArgumentException("truncated multipart body");
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      byte[] data = Arrays.copyOfRange(body, headersEnd + 4, next - 2); // part ends with CRLF
      parts.add(
          new Part(
              find(NAME, headers), find(FILENAME, headers), header(headers, "content-type"), data));
      pos = next;
    }
    return parts;
  }

  private static String find(Pattern pattern, String headers) {
    Matcher m = pattern.matcher(headers);
    return m.find() ? m.group(1) : null;
  }

  private static String header(String headers, String name) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    if (from < 0) {
      return -1;
    }
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
