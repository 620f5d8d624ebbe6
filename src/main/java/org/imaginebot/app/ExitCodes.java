package org.imaginebot.app;

import org.imaginebot.engine.GenerationCancelledException;

/** Exit codes of the command line, and the one-line message for an exception. */
final class ExitCodes {

  static final int OK = 0;

  /** Something the user typed or configured is wrong: the message says what to fix. */
  static final int USAGE = 2;

  /** The environment is wrong: a model file is missing or corrupt, a path is not writable. */
  static final int ENVIRONMENT = 3;

  static final int CANCELLED = 130;
  static final int INTERNAL = 1;

  private ExitCodes() {}

  static int of(Exception e) {
    if (e instanceof GenerationCancelledException) {
      return CANCELLED;
    }
    if (e instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (e instanceof IllegalStateException
        || e instanceof java.io.IOException
        || e instanceof java.io.UncheckedIOException) {
      return ENVIRONMENT;
    }
    return INTERNAL;
  }

  static String message(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.lines().findFirst().orElse("");
  }
}
