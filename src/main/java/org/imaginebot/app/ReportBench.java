package org.imaginebot.app;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.bench.Charts;
import org.imaginebot.bench.Charts.BadResultFile;
import org.imaginebot.bench.Charts.Result;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench report}: one PNG chart per result the other benchmarks left in {@code bench/results}
 * (see {@link Charts}), so the docs show the figures rather than quote them.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Draws PNG charts ("
          + Charts.WIDTH
          + "x"
          + Charts.HEIGHT
          + ") from the JSON results in --results:",
      "queue.png (queue-*.json), jobs.png (jobs.json), soak.png (soak.json), strategies.png",
      "(strategies.jsonl, strategies-judge.jsonl), fuzz.png (fuzz.json, fuzz-postgresql.json), load-latency.png",
      "and load-waits.png (load.json, Discord), load-slack-latency.png and load-slack-waits.png (load-slack.json),",
      "faults.png (faults.json), and engine.png (engine.json: our adam step by phase against the limit;",
      "engine-biggan-deep-256.png and engine-stylegan2-256.png likewise).",
      "A missing file is skipped, with its reason; a garbled one fails the run (exit 1) and names it.",
      "Prints one JSON line: the charts written and the files skipped."
    })
final class ReportBench implements Callable<Integer> {

  /** Real-size models whose {@code bench engine} result has a chart beside engine.json's. */
  static final List<String> OTHER_ENGINE_MODELS = List.of("biggan-deep-256", "stylegan2-256");

  @Option(
      names = "--results",
      defaultValue = "bench/results",
      paramLabel = "DIR",
      description = "Folder of the benchmark results (default: ${DEFAULT-VALUE}).")
  Path results;

  @Option(
      names = "--out",
      defaultValue = "bench/charts",
      paramLabel = "DIR",
      description = "Folder for the PNG charts, made if missing (default: ${DEFAULT-VALUE}).")
  Path out;

  @ParentCommand BenchCommand parent;

  private final ObjectMapper mapper =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final List<String> skipped = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    // before any AWT class loads: a server or CI runner has no display
    System.setProperty("java.awt.headless", "true");
    skipped.clear();
    if (!Files.isDirectory(results)) {
      throw new IllegalArgumentException("--results " + results + " is not a folder");
    }
    Map<String, JFreeChart> charts;
    try {
      // every chart built before any is written: a garbled file leaves the old charts as they were
      charts = build();
    } catch (BadResultFile e) {
      // the file's fault, not the program's: one line naming it, no stack trace
      parent.spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.INTERNAL;
    }
    Files.createDirectories(out);
    ObjectNode json = mapper.createObjectNode().put("benchmark", "report");
    ArrayNode written = json.putArray("charts");
    for (Map.Entry<String, JFreeChart> chart : charts.entrySet()) {
      Path png = out.resolve(chart.getKey());
      ChartUtils.saveChartAsPNG(png.toFile(), chart.getValue(), Charts.WIDTH, Charts.HEIGHT);
      written.add(png.toString());
    }
    skipped.forEach(json.putArray("skipped")::add);
    parent.spec.commandLine().getOut().println(json);
    return ExitCodes.OK;
  }

  private Map<String, JFreeChart> build() throws IOException {
    Map<String, JFreeChart> charts = new LinkedHashMap<>();
    Result localH2 = json("queue-h2.json");
    Result localPostgres = json("queue-postgresql.json");
    Result redisH2 = json("queue-redis-h2.json");
    Result redisPostgres = json("queue-redis-postgresql.json");
    if (localH2 != null || localPostgres != null || redisH2 != null || redisPostgres != null) {
      charts.put("queue.png", Charts.queue(localH2, localPostgres, redisH2, redisPostgres));
    }
    Result jobs = json("jobs.json");
    if (jobs != null && !Charts.hasRounds(jobs)) {
      skipped.add("jobs.json: no per-round arrays");
    } else if (jobs != null) {
      charts.put("jobs.png", Charts.jobs(jobs));
    }
    Result soak = json("soak.json");
    if (soak != null) {
      charts.put("soak.png", Charts.soak(soak));
    }
    Result self = jsonLines("strategies.jsonl");
    Result judged = jsonLines("strategies-judge.jsonl");
    if (self != null || judged != null) {
      charts.put("strategies.png", Charts.strategies(self, judged));
    }
    for (String platform : List.of("", "-slack")) { // load.json is Discord's
      Result load = json("load" + platform + ".json");
      if (load != null) {
        charts.put("load" + platform + "-latency.png", Charts.loadLatency(load));
        charts.put("load" + platform + "-waits.png", Charts.loadWaits(load));
      }
    }
    Result faults = json("faults.json");
    if (faults != null) {
      charts.put("faults.png", Charts.faults(faults));
    }
    Result fuzzH2 = json("fuzz.json");
    Result fuzzPostgres = json("fuzz-postgresql.json");
    if (fuzzH2 != null || fuzzPostgres != null) {
      charts.put("fuzz.png", Charts.fuzz(fuzzH2, fuzzPostgres));
    }
    Result engine = json("engine.json");
    if (engine != null) {
      charts.put("engine.png", Charts.engine(engine));
    }
    for (String model : OTHER_ENGINE_MODELS) {
      Result other = json("engine-" + model + ".json");
      if (other != null) {
        charts.put("engine-" + model + ".png", Charts.engine(other));
      }
    }
    return charts;
  }

  /** The JSON object in {@code name}, or null (and a skip) when there is no such file. */
  private Result json(String name) throws IOException {
    String text = read(name);
    if (text == null) {
      return null;
    }
    if (text.isBlank()) {
      throw new BadResultFile(name, "empty");
    }
    return new Result(name, object(name, text, 0));
  }

  /** Each non-blank line of {@code name} as a JSON object, or null when there is no such file. */
  private Result jsonLines(String name) throws IOException {
    String text = read(name);
    if (text == null) {
      return null;
    }
    ArrayNode lines = mapper.createArrayNode();
    List<String> all = text.lines().toList();
    for (int i = 0; i < all.size(); i++) {
      if (!all.get(i).isBlank()) {
        lines.add(object(name, all.get(i), i + 1));
      }
    }
    if (lines.isEmpty()) {
      throw new BadResultFile(name, "empty");
    }
    return new Result(name, lines);
  }

  private String read(String name) throws IOException {
    Path file = results.resolve(name);
    if (!Files.exists(file)) {
      skipped.add(name + ": not found");
      return null;
    }
    try {
      return Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new BadResultFile(name, "not UTF-8 text");
    } catch (IOException e) {
      throw new BadResultFile(name, "cannot be read (" + e.getMessage() + ")");
    }
  }

  /** {@code text} as a JSON object; {@code line}: its line in a JSON-lines file, 0 for a file. */
  private JsonNode object(String name, String text, int line) {
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null
              ? ""
              : " at line " + (line > 0 ? line : at.getLineNr()) + ", column " + at.getColumnNr();
      // without where an unclosed object started: Jackson quotes the source there
      String why =
          e.getOriginalMessage()
              .lines()
              .findFirst()
              .orElse("")
              .replaceFirst(" \\(start marker at .*", "");
      throw new BadResultFile(name, "not valid JSON" + where + ": " + why);
    }
    if (!node.isObject()) {
      throw new BadResultFile(name, (line > 0 ? "line " + line + " " : "") + "not a JSON object");
    }
    return node;
  }
}
