package org.imaginebot.bot;

import java.util.Objects;

/**
 * Who asks, and where.
 *
 * @param userId the platform's user id
 * @param scopeId guild (Discord) or workspace (Slack) id; {@code "cli"} for the command line
 * @param channelId where the request was made, checked against the allowed channels; {@code null}
 *     where there are none
 * @param source the adapter, a metric tag: {@code discord}, {@code slack}, {@code cli}
 */
public record Requester(String userId, String scopeId, String channelId, String source) {

  public Requester {
    requireText(userId, "userId");
    requireText(scopeId, "scopeId");
    requireText(source, "source");
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " may not be blank");
    }
  }
}
