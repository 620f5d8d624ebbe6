package org.imaginebot.bench;

/**
 * What {@code bench load} sends: {@code commands} /imagine interactions from {@code users} users at
 * {@code perSecond}, of which a share {@code floodShare} of the users flood (send every command
 * that is not a light user's single one) and a share {@code repeatShare} of the commands repeat an
 * earlier finished request (served from the cache); every fresh request runs {@code steps} steps.
 *
 * @param seed orders the commands, so a run is repeatable
 */
public record ChatLoad(
    int commands,
    int users,
    double floodShare,
    double repeatShare,
    int steps,
    double perSecond,
    long seed) {

  public ChatLoad {
    if (users < 2) {
      throw new IllegalArgumentException("users must be at least 2, got " + users);
    }
    if (!(floodShare > 0 && floodShare < 1)) {
      throw new IllegalArgumentException("floodShare must be in (0, 1), got " + floodShare);
    }
    if (!(repeatShare >= 0 && repeatShare < 1)) {
      throw new IllegalArgumentException("repeatShare must be in [0, 1), got " + repeatShare);
    }
    if (commands < users) {
      throw new IllegalArgumentException(
          "commands must be at least users (" + users + "), got " + commands);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("perSecond must be positive, got " + perSecond);
    }
  }

  /** Users who flood: at least one, and at least one light user stays. */
  public int flooders() {
    return Math.min(users - 1, Math.max(1, (int) Math.round(users * floodShare)));
  }

  /** Users who ask once. */
  public int lightUsers() {
    return users - flooders();
  }

  /** Commands that repeat a finished request. */
  public int repeats() {
    return Math.min(commands - users, (int) Math.round(commands * repeatShare));
  }
}
