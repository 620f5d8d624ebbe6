package org.imaginebot.queue;

/**
 * The queue's caps: how many jobs may wait in all, and how many per user.
 *
 * <p>Only queued jobs count, not running ones. Lowering a cap never drops admitted jobs; it refuses
 * new ones until the queue is back under it.
 *
 * @param maxQueued jobs waiting across all users, at least 1
 * @param maxQueuedPerUser jobs waiting for one user, at least 1
 */
public record QueueLimits(int maxQueued, int maxQueuedPerUser) {

  /**
   * The per-user cap {@code serve} sets: above any guild's setting, whose own cap applies on each
   * offer.
   */
  public static final int SERVE_USER_CEILING = 100;

  public QueueLimits {
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be at least 1, got " + maxQueued);
    }
    if (maxQueuedPerUser < 1) {
      throw new IllegalArgumentException(
          "maxQueuedPerUser must be at least 1, got " + maxQueuedPerUser);
    }
  }

  /** The caps of the queue {@code serve} runs ({@code bench queue} measures the same one). */
  public static QueueLimits serving(int maxQueued) {
    return new QueueLimits(maxQueued, SERVE_USER_CEILING);
  }
}
