package org.imaginebot.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.imaginebot.bot.Requester;
import org.imaginebot.cluster.Redis;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.worker.LazyEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench jobs}: the end-to-end latency of one job, from {@code ImagineService.submit} to the
 * requester's image, through serve's core with the local queue and through the Redis path (job row
 * + Redis admission, dispatch over the stream, the worker's events published and relayed back),
 * alternating in one run on one machine, so the ratio is what the Redis path adds.
 */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end latency of the same tiny job through the local queue and through the Redis path",
      "(one process: bot relay and worker over a real Redis), alternating; prints the ratio."
    })
final class JobsBench implements Callable<Integer> {

  @Option(
      names = "--jobs",
      defaultValue = "10",
      description = "Timed jobs per path (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(
      names = "--steps",
      defaultValue = "10",
      description = "Steps per job (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--model",
      defaultValue = "tiny",
      description = "Model id (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--redis",
      defaultValue = "redis://127.0.0.1:6379/0",
      description =
          "Redis for the Redis path (default: ${DEFAULT-VALUE}); a throwaway key prefix is removed after.")
  String redisUrl;

  @Option(
      names = "--database",
      description =
          "JDBC URL of the database both paths use (default: fresh H2 files in a temporary folder).")
  String database;

  @Option(names = "--out", description = "Also write the JSON line to FILE.")
  Path outFile;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  @Override
  public Integer call() throws Exception {
    Path tmp = Files.createTempDirectory("bench-jobs");
    String prefix = "bench-jobs-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    List<Double> local = new ArrayList<>();
    List<Double> control = new ArrayList<>();
    List<Double> redis = new ArrayList<>();
    AppConfig base = configOptions.load(System.getenv(), Map.of());
    ModelManifest manifest =
        ModelManifest.load(base.engine().manifest(), base.engine().modelsDir());
    // One engine, the same loaded models, for every path: two engines in one JVM do not run alike
    // (with two local paths, the second measured ~10% slower), and that is not what is compared.
    try (LazyEngine engine = BotApplication.engine(base, manifest);
        BotApplication localApp = open(tmp, "local", Map.of(), manifest, engine);
        BotApplication controlApp = open(tmp, "control", Map.of(), manifest, engine);
        BotApplication redisApp =
            open(
                tmp,
                "redis",
                Map.of(
                    "queue.backend",
                    "redis",
                    "redis.url",
                    redisUrl,
                    "redis.keyPrefix",
                    prefix,
                    "redis.nodeId",
                    "bench"),
                manifest,
                engine)) {
      time(localApp, 0); // warm-up: model loading, JIT
      time(controlApp, 1);
      time(redisApp, 2);
      List<Runnable> paths =
          new ArrayList<>(
              List.of(
                  () -> local.add(time(localApp, seed(local))),
                  () -> control.add(time(controlApp, seed(control) + 1)),
                  () -> redis.add(time(redisApp, seed(redis) + 2))));
      for (int i = 0; i < jobs; i++) {
        paths.forEach(Runnable::run);
        Collections.rotate(paths, 1); // each path goes first, second and third alike
      }
    } finally {
      removeKeys(prefix);
      BenchJobs.deleteTree(tmp);
    }
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("benchmark", "jobs").put("model", model).put("steps", steps).put("jobs", jobs);
    json.put("local_median_ms", median(local)).put("redis_median_ms", median(redis));
    json.put("control_median_ms", median(control));
    json.put("local_min_ms", round(Collections.min(local)));
    json.put("redis_min_ms", round(Collections.min(redis)));
    json.put("ratio_median", median(ratios(redis, local)));
    json.put("control_ratio_median", median(ratios(control, local)));
    json.put("goal_ratio", 1.10);
    local.forEach(json.putArray("local_ms")::add);
    control.forEach(json.putArray("control_ms")::add);
    redis.forEach(json.putArray("redis_ms")::add);
    json.put(
        "covers",
        "ImagineService.submit to the requester's finished image; every path in one JVM on one"
            + " engine; the Redis path crosses Redis twice (admission, dispatch) and relays every"
            + " event over pub/sub, but not a network between machines. ratio_median: the median"
            + " over rounds of redis/local; control_ratio_median: the same for a second local path,"
            + " what this machine's noise alone gives");
    BenchJobs.emit(parent.spec.commandLine().getOut(), json.toString(), outFile);
    return ExitCodes.OK;
  }

  private BotApplication open(
      Path tmp, String name, Map<String, String> extra, ModelManifest manifest, Engine engine) {
    Map<String, String> settings = new LinkedHashMap<>(extra);
    settings.put(
        "queue.database",
        database != null ? database : "jdbc:h2:file:" + tmp.resolve(name).toAbsolutePath());
    settings.put("cache.diskDir", tmp.resolve(name + "-cache").toString());
    settings.put("server.port", "0");
    // one user asks for every job: the limits must not be what is measured
    settings.put("limits.requestsPerMinute", "600");
    settings.put("limits.scopeRequestsPerMinute", "10000");
    return BotApplication.open(
            configOptions.load(System.getenv(), settings),
            manifest,
            new Unclosed(engine),
            new BotMetrics(),
            Clock.systemUTC(),
            Role.ALL)
        .startWorkers();
  }

  /** The shared engine as one app sees it: closing the app leaves it to the bench to close. */
  private record Unclosed(Engine engine) implements Engine {
    @Override
    public GenerationResult generate(
        GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
      return engine.generate(request, listener, cancel);
    }

    @Override
    public void close() {}
  }

  /** A seed no path has used yet: each path takes every third. */
  private static long seed(List<Double> timesSoFar) {
    return 100L + 3L * timesSoFar.size();
  }

  /** {@code a[i] / b[i]}: one ratio per round, so drift between rounds cancels. */
  private static List<Double> ratios(List<Double> a, List<Double> b) {
    List<Double> r = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      r.add(a.get(i) / b.get(i));
    }
    return r;
  }

  /** Milliseconds from submit to the image, for a job nobody asked for before (a new seed). */
  private double time(BotApplication app, long seed) {
    long start = System.nanoTime();
    BenchJobs.run(
        app, new Requester("bench", "bench", null, "cli"), BenchJobs.request(model, steps, seed));
    return round((System.nanoTime() - start) / 1e6);
  }

  private void removeKeys(String prefix) {
    try {
      Redis.removeKeys(redisUrl, prefix);
    } catch (RuntimeException e) {
      // Redis gone: nothing to clean up, the run already failed
    }
  }

  private static double median(List<Double> values) {
    return BenchJobs.median(values);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
