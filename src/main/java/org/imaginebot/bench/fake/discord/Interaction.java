package org.imaginebot.bench.fake.discord;

/**
 * An interaction {@link FakeDiscord} dispatched: its snowflake {@code id}, its webhook {@code
 * token} (used in {@code interactions/{id}/{token}/callback} and {@code
 * webhooks/{app}/{token}/...}), {@link System#nanoTime()} when it was sent and the gateway session
 * (shard) it was sent on.
 */
public record Interaction(String id, String token, long dispatchedAtNanos, GatewaySession session) {
  /** A regex for the path of this interaction's callback. */
  public String callbackPath() {
    return "interactions/" + id + "/" + token + "/callback";
  }

  /** A regex for the path of this interaction's original response ({@code @original}). */
  public String originalPath() {
    return "webhooks/\\d+/" + token + "/messages/@original";
  }

  /** A regex for the paths of follow-ups to this interaction. */
  public String followupPath() {
    return "webhooks/\\d+/" + token;
  }
}
