package org.imaginebot.bot;

import java.util.Objects;

/**
 * Who runs a moderation command or presses a reply's Delete button, as the adapter saw it.
 *
 * @param userId the platform's user id, written to the audit log (and compared with a reply's
 *     requester)
 * @param moderator whether the adapter found moderator rights (Discord: Manage Server; Slack: an
 *     admin or a configured moderator id)
 */
public record Actor(String userId, boolean moderator) {

  public Actor {
    Objects.requireNonNull(userId, "userId");
    if (userId.isBlank()) {
      throw new IllegalArgumentException("userId may not be blank");
    }
  }
}
