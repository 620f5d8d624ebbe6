package org.imaginebot.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.imaginebot.bench.BenchDatabase;
import org.imaginebot.bench.FuzzBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench fuzz}: generated hostile commands through the parser and serve's core on a throwaway
 * database, its queue paused and no worker started (see {@link FuzzBenchmark}).
 */
@Command(
    name = "fuzz",
    mixinStandardHelpOptions = true,
    description = {
      "Sends generated hostile commands (huge, empty, Unicode, RTL, zero-width, control characters, flag",
      "injection, mentions, SQL-ish text, weight abuse, option values at and past every bound) through the",
      "request parser and serve's core, whose queue runs nothing. Prints the seed, each failure with its input,",
      "then one JSON line: cases, uncaught exceptions, unanswered (or unclear) ones, the seed, and whether the",
      "store holds exactly the admitted jobs. Exit 1 when any check fails."
    })
final class FuzzBench implements Callable<Integer> {

  /** Cases of {@code --quick}, which the build runs. */
  static final int QUICK_CASES = 500;

  @Option(
      names = "--cases",
      defaultValue = "10000",
      description = "Commands to send (default: ${DEFAULT-VALUE}).")
  int cases;

  @Option(names = "--quick", description = "A short run: " + QUICK_CASES + " cases.")
  boolean quick;

  @Option(
      names = "--seed",
      description = "Seed of the cases (default: a new random one, printed first).")
  Long seed;

  @Option(
      names = "--users",
      defaultValue = "2000",
      description = "Users who send them (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--scopes",
      defaultValue = "5",
      description = "Servers those users are spread over (default: ${DEFAULT-VALUE}).")
  int scopes;

  @Option(
      names = "--database",
      paramLabel = "JDBC_URL",
      description =
          "PostgreSQL (or H2) database to fuzz in a throwaway schema, dropped afterwards; default: a fresh H2 file in a temporary directory, deleted afterwards.")
  String database;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the JSON line to FILE, e.g. bench/results/fuzz.json.")
  Path outFile;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  @Override
  public Integer call() throws IOException {
    FuzzBenchmark.Settings settings =
        new FuzzBenchmark.Settings(
            seed != null ? seed : ThreadLocalRandom.current().nextLong() >>> 16,
            quick ? QUICK_CASES : cases,
            users,
            scopes,
            DAILY_IMAGES);
    PrintWriter out = parent.spec.commandLine().getOut();
    Path cache = Files.createTempDirectory("imagine-bench-fuzz-cache");
    ObjectNode json;
    try (BenchDatabase db =
            database == null ? BenchDatabase.h2File() : BenchDatabase.schemaIn(database);
        BotApplication app = BotApplication.open(config(db, cache), Role.ALL)) {
      app.queue().pause(); // and no worker is started: every admitted job stays queued
      json =
          FuzzBenchmark.run(
              settings,
              app.imagine(),
              app.queue(),
              app.database().dataSource(),
              line -> {
                out.println(line);
                out.flush();
              });
      json.put("database", db.kind());
    } finally {
      deleteTree(cache);
    }
    String line = json.toString();
    out.println(line);
    if (outFile != null) {
      Path parentDir = outFile.toAbsolutePath().getParent();
      Files.createDirectories(parentDir);
      Files.writeString(outFile, line + "\n");
    }
    boolean clean =
        json.get("uncaught").asInt() == 0
            && json.get("unanswered").asInt() == 0
            && json.get("persisted_wrongly").asInt() == 0;
    return clean ? ExitCodes.OK : ExitCodes.INTERNAL;
  }

  /** The daily quota the fuzz runs under, so that quota rows are checked too. */
  private static final int DAILY_IMAGES = 2;

  /**
   * The config's settings, on the throwaway database, with limits that let requests reach the queue
   * (rate limits at their maximum, room for every job in the queue), a daily quota and banned
   * words, so those checks see the input too.
   */
  private AppConfig config(BenchDatabase db, Path cache) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("queue.database", db.url());
    settings.put("cache.diskDir", cache.toString());
    settings.put("queue.maxQueued", "100000");
    settings.put("limits.requestsPerMinute", "600");
    settings.put("limits.scopeRequestsPerMinute", "10000");
    settings.put("limits.dailyImagesPerUser", Integer.toString(DAILY_IMAGES));
    settings.put("limits.bannedWords", "gore, drop table");
    return configOptions.load(System.getenv(), settings);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
