package org.imaginebot.bot;

/** What {@link ModerationService#purge} did with a reply's cached image. */
public enum PurgeResult {
  /** Removed from the cache: the same request runs the engine again. */
  PURGED,
  /** The request is known, but its image was not in the cache (expired, or purged already). */
  NOT_CACHED,
  /** The button's reference is unknown, expired or from another scope. */
  NOT_FOUND;

  /** In words for chat, the same on every platform. */
  public String describe() {
    return switch (this) {
      case PURGED ->
          "Removed from the cache: the same request will make a new image instead of showing this one.";
      case NOT_CACHED -> "This image is not in the cache (it expired, or was purged already).";
      case NOT_FOUND -> "This image is too old to purge here (buttons work for a week).";
    };
  }
}
