package org.imaginebot.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.imaginebot.bench.ChatLoad;
import org.imaginebot.bench.DiscordFaults;
import org.imaginebot.bench.DiscordLoad;
import org.imaginebot.bench.LoadFigures;
import org.imaginebot.bench.LoadRecord;
import org.imaginebot.bench.fake.discord.RestCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench faults}: a load through the real JDA while the fake Discord misbehaves (see {@link
 * DiscordFaults}); every admitted job must reach its user exactly once.
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole bot (serve --role all) against the fake Discord and sends /imagine from many users, as",
      "bench load does, while the fake answers 429 with Retry-After on reply edits and on a callback, answers",
      "500 on reply edits (any, then final ones), drops the gateway mid-run (the bot resumes) and, with a PostgreSQL",
      "--database, cuts the bot's link to it for 3 s. Prints progress, then one JSON line:",
      "jobs admitted, lost (no final message), duplicated (more than one), unanswered commands, the faults injected",
      "and the 429 and 5xx answers the fake sent. Exit 1 when a job is lost or duplicated, a command unanswered",
      "or an exception uncaught."
    })
final class FaultsBench implements Callable<Integer> {

  static final int QUICK_COMMANDS = 60;
  static final int QUICK_USERS = 10;

  @Option(
      names = "--commands",
      defaultValue = "300",
      description = "Interactions to send (default: ${DEFAULT-VALUE}).")
  int commands;

  @Option(
      names = "--users",
      defaultValue = "30",
      description = "Users who send them (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "Interactions per second (default: ${DEFAULT-VALUE}).")
  double perSecond;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the command order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--quick",
      description =
          "A short run: " + QUICK_COMMANDS + " interactions from " + QUICK_USERS + " users.")
  boolean quick;

  @Option(
      names = "--database",
      paramLabel = "JDBC_URL",
      description =
          "PostgreSQL database for the bot's tables in a throwaway schema, dropped afterwards, reached through a link the run cuts for "
              + "3 s mid-run (a database outage); default: a fresh H2 file, no database outage.")
  String database;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the JSON line to FILE, e.g. bench/results/faults.json.")
  Path outFile;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  /** No final message for this long: the jobs still waiting for one are lost. */
  private static final Duration STALL = Duration.ofSeconds(60);

  private static final int STEPS = 2;
  private static final String CUTOUTS = "4";

  @Override
  public Integer call() throws IOException, InterruptedException {
    ChatLoad load =
        new ChatLoad(
            quick ? QUICK_COMMANDS : commands,
            quick ? QUICK_USERS : users,
            0.2,
            0.2,
            STEPS,
            perSecond,
            seed);
    PrintWriter out = parent.spec.commandLine().getOut();
    Consumer<String> log =
        line -> {
          out.println(line);
          out.flush();
        };
    ObjectNode json;
    try (DiscordBenchBot bot =
        DiscordBenchBot.start(database, Map.of("engine.cutouts", CUTOUTS), configOptions)) {
      DiscordLoad driver = new DiscordLoad(bot.fake, STALL, log);
      driver.idle(1, STEPS, load.users()); // the engine loaded before the faults start
      DiscordFaults faults = new DiscordFaults(load.commands(), bot.databaseLink(), log);
      List<LoadRecord> records = driver.run(load, faults);
      List<RestCall> calls = bot.fake.calls();
      ObjectNode figures = LoadFigures.of(records, calls);
      json = figures.objectNode().put("benchmark", "faults").put("platform", "discord");
      for (String field :
          List.of(
              "commands", "jobs", "cache_hits", "refused", "unanswered", "lost", "duplicated")) {
        json.set(field, figures.get(field));
      }
      ObjectNode injected = json.putObject("injected");
      new TreeMap<>(faults.injected()).forEach(injected::put);
      json.put("http_429_sent", calls.stream().filter(c -> c.status() == 429).count());
      json.put("http_5xx_sent", calls.stream().filter(c -> c.status() >= 500).count());
      json.put(
          "final_edits_answered_5xx",
          calls.stream()
              .filter(
                  c -> c.status() >= 500 && c.json().toString().contains(DiscordFaults.FINAL_MARK))
              .count());
      json.put("gateway_sessions_resumed", resumes(bot));
      json.put("database", bot.databaseKind());
      json.put("uncaught", bot.uncaught());
    }
    String line = json.toString();
    out.println(line);
    if (outFile != null) {
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, line + "\n");
    }
    return promisesKept(json) ? ExitCodes.OK : ExitCodes.INTERNAL;
  }

  /** RESUMEs the bot sent on the gateway: it came back on its own after the drop. */
  private static long resumes(DiscordBenchBot bot) {
    return bot.fake.gatewayFrames().stream().filter(f -> f.path("op").asInt() == 6).count();
  }

  static boolean promisesKept(ObjectNode json) {
    return json.get("lost").asLong() == 0
        && json.get("duplicated").asLong() == 0
        && json.get("unanswered").asLong() == 0
        && json.get("uncaught").asInt() == 0;
  }
}
