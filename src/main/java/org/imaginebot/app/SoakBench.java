package org.imaginebot.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imaginebot.bench.MemoryProbe;
import org.imaginebot.bot.Requester;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.engine.djl.NativeMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench soak}: many jobs, one after another, through serve's core and its one worker on the
 * tiny models, sampling the process's resident memory, the heap after a collection and the NDArrays
 * the loaded models hold. After a warm-up, none of them may keep growing.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Runs --jobs jobs one after another through serve's core (local queue, one worker) and samples",
      "resident memory, heap after GC and the models' live NDArrays; prints the growth after the",
      "warm-up (goal < 5 %%). Exit 1 when a job fails or the growth passes --max-growth-pct.",
      "Runs with engine.trimNativeMemory (default true; --set engine.trimNativeMemory=false for",
      "the allocator alone) and reports the allocator and its environment variables."
    })
final class SoakBench implements Callable<Integer> {

  /** Jobs of {@code --quick}, which the build runs. */
  static final int QUICK_JOBS = 120;

  /**
   * Bounds of what is meant to grow until full: the result cache's memory and disk tiers and H2's
   * page cache (KB), all small, so they are full within the warm-up and their growth is not
   * mistaken for a leak.
   */
  static final long CACHE_MEMORY_BYTES = 256 * 1024;

  static final long CACHE_DISK_BYTES = 1024 * 1024;
  static final int H2_CACHE_KB = 1024;

  /** The goal: growth after warm-up, in percent. */
  static final double GOAL_GROWTH_PCT = 5.0;

  /** The environment that decides how the C allocator behaves, reported with the figures. */
  static final List<String> ALLOCATOR_VARIABLES =
      List.of("MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "LD_PRELOAD");

  @Option(
      names = "--jobs",
      defaultValue = "1000",
      description = "Jobs to run (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--quick", description = "A short run: " + QUICK_JOBS + " jobs of 2 steps.")
  boolean quick;

  @Option(
      names = "--steps",
      defaultValue = "5",
      description = "Steps per job (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--model",
      defaultValue = "tiny",
      description = "Model id (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--max-growth-pct",
      defaultValue = "5",
      description =
          "Exit 1 when memory or arrays grew more than this after the warm-up (default: 5).")
  double maxGrowthPct;

  @Option(names = "--out", description = "Also write the JSON line to FILE.")
  Path outFile;

  @Mixin ConfigOptions configOptions;

  @ParentCommand BenchCommand parent;

  @Override
  public Integer call() throws Exception {
    int total = quick ? QUICK_JOBS : jobs;
    int stepsPerJob = quick ? 2 : steps;
    if (total < 20) {
      throw new IllegalArgumentException("--jobs must be at least 20, got " + total);
    }
    PrintWriter err = parent.spec.commandLine().getErr();
    int every = Math.max(1, total / 50);
    int warmup = quick ? total * 2 / 5 : total / 5;
    if (System.getenv("MALLOC_ARENA_MAX") == null) {
      err.println(
          "soak: MALLOC_ARENA_MAX is not set: glibc's per-thread arenas make the resident memory"
              + " climb in steps that are not a leak (the Docker image sets 2)");
    }
    List<Integer> at = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    List<Double> heap = new ArrayList<>();
    List<Long> arrays = new ArrayList<>();
    List<Double> mallocFree = new ArrayList<>();
    List<Double> cpuSeconds = new ArrayList<>();
    long started = System.nanoTime();
    Path tmp = Files.createTempDirectory("bench-soak");
    AppConfig config = config(tmp);
    try (BotApplication app = BotApplication.open(config, Role.ALL).startWorkers()) {
      for (int done = 0; done <= total; done++) {
        if (done % every == 0 || done == total) {
          MemoryProbe.Sample s = MemoryProbe.sample();
          long live = DjlEngine.liveArrays();
          double free =
              NativeMemory.glibcStats().map(g -> g.free() / (1024.0 * 1024.0)).orElse(-1.0);
          at.add(done);
          rss.add(s.rssMb());
          heap.add(s.heapMb());
          arrays.add(live);
          mallocFree.add(free);
          cpuSeconds.add(processCpuSeconds());
          err.printf(
              "soak: %d/%d jobs, RSS %.0f MB, heap %.0f MB, %d live NDArrays, malloc free %.0f MB%n",
              done, total, s.rssMb(), s.heapMb(), live, free);
          err.flush();
        }
        if (done < total) {
          run(app, done, stepsPerJob);
        }
      }
    } finally {
      BenchJobs.deleteTree(tmp);
    }
    int firstAfterWarmup = (int) at.stream().filter(j -> j < warmup).count();
    double rssGrowth = MemoryProbe.growthPct(rss.subList(firstAfterWarmup, rss.size()));
    double heapGrowth = MemoryProbe.growthPct(heap.subList(firstAfterWarmup, heap.size()));
    double arrayGrowth =
        MemoryProbe.growthPct(
            arrays.subList(firstAfterWarmup, arrays.size()).stream()
                .map(Long::doubleValue)
                .toList());
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("benchmark", "soak").put("model", model).put("steps", stepsPerJob);
    json.put("jobs", total).put("warmup_jobs", warmup).put("sample_every", every);
    json.put("rss_growth_pct", rssGrowth);
    json.put("heap_growth_pct", heapGrowth);
    json.put("ndarray_growth_pct", arrayGrowth);
    json.put("goal_growth_pct", GOAL_GROWTH_PCT);
    at.forEach(json.putArray("sampled_at_jobs")::add);
    rss.forEach(json.putArray("rss_mb")::add);
    heap.forEach(json.putArray("heap_mb")::add);
    arrays.forEach(json.putArray("ndarrays")::add);
    mallocFree.forEach(json.putArray("malloc_free_mb")::add);
    cpuSeconds.forEach(json.putArray("cpu_s")::add);
    json.put("wall_s", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
    json.put(
        "cpu_s_per_job_after_warmup",
        Math.round(
                (cpuSeconds.get(cpuSeconds.size() - 1) - cpuSeconds.get(firstAfterWarmup))
                    / (total - at.get(firstAfterWarmup))
                    * 1000)
            / 1000.0);
    json.put(
        "covers",
        "ImagineService.submit -> the local queue -> one worker -> DJL on the tiny models, jobs one"
            + " after another with new seeds (no cache hits), the result cache (256 KB memory, 1 MB"
            + " disk) and H2's page cache (1 MB) small so they are full within the warm-up; growth:"
            + " the median of the last five samples against the first five after the warm-up."
            + " malloc_free_mb: what glibc keeps free in its arenas at each sample (mallinfo2"
            + " fordblks; -1 for another allocator)."
            + " Not covered: real-size models, CUDA memory, the chat adapters");
    json.put("allocator", NativeMemory.allocator());
    json.put("trim_native_memory", config.engine().trimNativeMemory());
    for (String variable : ALLOCATOR_VARIABLES) {
      json.put(variable.toLowerCase(Locale.ROOT), String.valueOf(System.getenv(variable)));
    }
    BenchJobs.emit(parent.spec.commandLine().getOut(), json.toString(), outFile);
    boolean grew =
        rssGrowth > maxGrowthPct || heapGrowth > maxGrowthPct || arrayGrowth > maxGrowthPct;
    if (grew) {
      err.printf(
          "soak: memory grew after the warm-up: RSS %.1f %%, heap %.1f %%, NDArrays %.1f %% (limit"
              + " %.1f %%)%n",
          rssGrowth, heapGrowth, arrayGrowth, maxGrowthPct);
    }
    return grew ? ExitCodes.INTERNAL : ExitCodes.OK;
  }

  /** CPU time of this process so far (all threads), in seconds; -1 where the JVM cannot tell. */
  private static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.round(os.getProcessCpuTime() / 1e7) / 100.0;
    }
    return -1;
  }

  private AppConfig config(Path tmp) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "queue.database",
        "jdbc:h2:file:" + tmp.resolve("soak").toAbsolutePath() + ";CACHE_SIZE=" + H2_CACHE_KB);
    settings.put("cache.diskDir", tmp.resolve("cache").toString());
    settings.put("cache.memoryMaxBytes", Long.toString(CACHE_MEMORY_BYTES));
    settings.put("cache.diskMaxBytes", Long.toString(CACHE_DISK_BYTES));
    settings.put("server.port", "0");
    settings.put("limits.scopeRequestsPerMinute", "10000");
    return configOptions.load(System.getenv(), settings);
  }

  /** One job with a seed nobody asked for before, from one of 50 users (each under its limit). */
  private void run(BotApplication app, int n, int stepsPerJob) {
    BenchJobs.run(
        app,
        new Requester("soak-" + (n % 50), "soak", null, "cli"),
        BenchJobs.request(model, stepsPerJob, 1000L + n));
  }
}
