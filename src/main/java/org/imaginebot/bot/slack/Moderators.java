package org.imaginebot.bot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who moderates /imagine in the workspace: its admins and owners (from {@code users.info}, cached a
 * few minutes so a busy moderator costs one call, and a demoted admin loses the right soon) and the
 * user ids listed in {@code slack.moderators}.
 */
final class Moderators {

  private static final Logger LOG = LoggerFactory.getLogger(Moderators.class);
  private static final Duration REMEMBER = Duration.ofMinutes(5);

  private final SlackApi api;
  private final Set<String> listed;
  private final Cache<String, Boolean> admins =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(REMEMBER).build();

  Moderators(SlackApi api, Set<String> listed) {
    this.api = api;
    this.listed = Set.copyOf(listed);
  }

  /**
   * Blocks on {@code users.info} for a user not seen lately; a failed lookup counts as no (and is
   * not kept).
   */
  boolean isModerator(String userId) {
    if (listed.contains(userId)) {
      return true;
    }
    Boolean known = admins.getIfPresent(userId);
    if (known != null) {
      return known;
    }
    try {
      boolean admin = api.isAdminOrOwner(userId);
      admins.put(userId, admin);
      return admin;
    } catch (RuntimeException e) {
      LOG.warn(
          "users.info for {} failed ({}); treating them as a member. Does the app have the users:read scope?",
          userId,
          e.getMessage());
      return false;
    }
  }
}
