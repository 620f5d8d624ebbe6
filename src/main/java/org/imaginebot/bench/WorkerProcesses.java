package org.imaginebot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Worker nodes as real processes: {@code serve --role worker} JVMs on this JVM's class path, each
 * with its own settings and a log file in a directory, that can be SIGKILLed as a crash or an
 * out-of-memory kill would end one. Closing kills the ones still running.
 */
public final class WorkerProcesses implements AutoCloseable {

  private final String mainClass;
  private final Path dir;
  private final Map<String, Process> workers = new LinkedHashMap<>();

  /**
   * @param mainClass the application's main class ({@code serve} is its subcommand)
   * @param dir where each node's log goes, as {@code <node>.log}
   */
  public WorkerProcesses(String mainClass, Path dir) {
    this.mainClass = mainClass;
    this.dir = dir;
  }

  /**
   * Starts a worker named {@code node} with {@code settings} ({@code --set key=value} each).
   *
   * @param config its configuration file; null for {@code serve}'s default
   */
  public synchronized Process start(String node, Path config, Map<String, String> settings)
      throws IOException {
    if (workers.containsKey(node)) {
      throw new IllegalStateException("worker " + node + " was started already");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.add("serve");
    command.add("--role");
    command.add("worker");
    if (config != null) {
      command.add("--config=" + config);
    }
    settings.forEach((k, v) -> command.add("--set=" + k + "=" + v));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log(node).toFile())
            .start();
    workers.put(node, process);
    return process;
  }

  /** Kills {@code node} outright (SIGKILL) and waits until it is gone. */
  public void kill(String node) throws InterruptedException {
    Process process;
    synchronized (this) {
      process = workers.get(node);
    }
    if (process == null) {
      throw new IllegalArgumentException("no worker named " + node);
    }
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** The workers started so far, by name. */
  public synchronized Map<String, Process> all() {
    return Map.copyOf(workers);
  }

  /** Whether a worker that should be running has exited (a worker killed by {@link #kill} too). */
  public synchronized boolean anyExited() {
    return workers.values().stream().anyMatch(p -> !p.isAlive());
  }

  /** The last {@code lines} lines of {@code node}'s log, or why there are none. */
  public String logTail(String node, int lines) {
    try {
      List<String> all = Files.readAllLines(log(node));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Each node's state and the tail of its log: what to show when a run goes wrong. */
  public synchronized String describe(int lines) {
    StringBuilder s = new StringBuilder();
    workers.forEach(
        (node, p) ->
            s.append("--- ")
                .append(node)
                .append(p.isAlive() ? " (running)" : " (exited " + p.exitValue() + ")")
                .append(" ---\n")
                .append(logTail(node, lines))
                .append('\n'));
    return s.toString();
  }

  private Path log(String node) {
    return dir.resolve(node + ".log");
  }

  @Override
  public synchronized void close() {
    for (Process p : workers.values()) {
      p.destroyForcibly();
    }
    for (Process p : workers.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
