package org.imaginebot.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a faults run injects and when: each fault fires at a fixed share of the commands sent, is
 * counted by kind and logged; an outage's end is done on a thread of its own while commands go on.
 */
final class Injections {

  /** Ends an outage: restarts or reconnects what was stopped. */
  interface Recovery {
    void run() throws IOException, InterruptedException;
  }

  private final int commands;
  private final Consumer<String> log;
  private final Map<String, Integer> injected = new LinkedHashMap<>();

  Injections(int commands, Consumer<String> log) {
    this.commands = commands;
    this.log = log;
  }

  /** True for the command at {@code share} of the run (0.5: the middle one). */
  boolean at(int index, double share) {
    return index == (int) (commands * share);
  }

  /** Counts {@code n} faults of {@code kind}, and logs them. */
  synchronized void count(String kind, int n) {
    injected.merge(kind, n, Integer::sum);
    log.accept("faults: " + kind + " x" + n);
  }

  /** Logs a line about the run's faults. */
  void log(String line) {
    log.accept("faults: " + line);
  }

  /** What was injected so far, by kind. */
  synchronized Map<String, Integer> injected() {
    return Map.copyOf(injected);
  }

  /**
   * Runs {@code recovery} after {@code outage} on a daemon thread named {@code name}; logs {@code
   * done} after it, or why it failed.
   */
  void endLater(Duration outage, String name, Recovery recovery, String done) {
    Thread thread =
        new Thread(
            () -> {
              try {
                Thread.sleep(outage.toMillis());
                recovery.run();
                log(done);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException e) {
                log("cannot end the outage (" + name + "): " + e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }
}
