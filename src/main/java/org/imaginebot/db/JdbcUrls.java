package org.imaginebot.db;

import java.util.Locale;
import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: in logs, messages and {@code /health}, never with a password. */
public final class JdbcUrls {

  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password|pwd)=[^;&]*");
  private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

  private JdbcUrls() {}

  /**
   * The URL with any password (a {@code password=} parameter or {@code user:secret@}) as {@code
   * ***}.
   */
  public static String redact(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "null";
    }
    String redacted = PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1=***");
    return USER_INFO.matcher(redacted).replaceAll("//$1:***@");
  }

  /** True for a PostgreSQL URL ({@code jdbc:postgresql:...}). */
  static boolean isPostgres(String jdbcUrl) {
    return jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
  }
}
