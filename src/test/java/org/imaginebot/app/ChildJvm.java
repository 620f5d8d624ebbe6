package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The jar's command line run as a user runs it: {@link Main} in a JVM of its own on the test class
 * path, offline, its whole output (stdout and stderr) kept in a file.
 *
 * @param exitCode what the process exited with
 * @param printed everything it printed
 */
record ChildJvm(int exitCode, String printed) {

  /**
   * Runs {@code args} and waits up to {@code timeout} (the test fails past it).
   *
   * @param log where the output goes
   * @param environment variables added to this process's environment
   */
  static ChildJvm run(
      Path log, Duration timeout, Map<String, String> environment, List<String> args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      assertThat(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS))
          .as("finished in %d minutes", timeout.toMinutes())
          .isTrue();
    } finally {
      process.destroyForcibly();
    }
    return new ChildJvm(process.exitValue(), Files.readString(log));
  }
}
