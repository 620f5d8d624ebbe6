package org.imaginebot.app;

import java.util.Locale;

/** What a {@code serve} process does in a cluster. */
public enum Role {
  /** Everything in one process: chat adapters, admission, the engine (today's single box). */
  ALL,
  /** Chat adapters, admission and progress relay; no engine. Needs Redis. */
  BOT,
  /** The engine only, taking jobs from the shared queue; no chat platform. Needs Redis. */
  WORKER;

  /** Parses {@code all}, {@code bot} or {@code worker}, ignoring case. */
  public static Role parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--role must be all, bot or worker, got '" + text + "'");
    }
  }

  boolean runsEngine() {
    return this != BOT;
  }

  boolean runsChat() {
    return this != WORKER;
  }
}
