package org.imaginebot.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs the command line in this JVM, as {@code java -jar imagine-bot.jar ARGS} would, and keeps its
 * output.
 */
final class Cli {

  /** The exit code and everything printed to standard output and standard error. */
  record Outcome(int code, String out, String err) {}

  private Cli() {}

  static Outcome run(String... args) {
    return run(List.of(args));
  }

  /** With an empty environment: settings come from the arguments alone. */
  static Outcome run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args.toArray(String[]::new),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
