package org.imaginebot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.LengthAdjustmentType;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts of {@code bench report}, one method per chart: the parsed result files in, a chart
 * out, nothing read or written. A field a chart needs that is missing or not a number throws {@link
 * BadResultFile} naming the file and the field, so a garbled result is never drawn as zero.
 */
public final class Charts {

  /** Size of every PNG, so the charts line up side by side in the docs. */
  public static final int WIDTH = 1000;

  public static final int HEIGHT = 600;

  /** The Redis path's admission goal on H2 (the queue chart's marker). */
  static final double QUEUE_GOAL_PER_SEC = 10_000;

  private static final Color[] SERIES_COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)
  };

  private Charts() {}

  /**
   * One result file as read: its name (for messages) and its JSON; a JSON-lines file is an array of
   * its lines.
   */
  public record Result(String file, JsonNode json) {}

  /** A result file that is there but does not hold what its chart needs. */
  public static final class BadResultFile extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadResultFile(String file, String what) {
      super(file + ": " + what);
    }
  }

  /**
   * Grouped bars of {@code raised_flood_cap.admissions_per_sec}: the local queue and the Redis path
   * on each database, with the Redis goal as a line. Any argument may be null (its bar is left
   * out).
   */
  public static JFreeChart queue(
      Result localH2, Result localPostgres, Result redisH2, Result redisPostgres) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    addAdmissions(data, localH2, "local queue", "H2 file");
    addAdmissions(data, redisH2, "Redis path", "H2 file");
    addAdmissions(data, localPostgres, "local queue", "PostgreSQL");
    addAdmissions(data, redisPostgres, "Redis path", "PostgreSQL");
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Admissions per second (raised_flood_cap)", "database", "admissions per second", data);
    subtitle(chart, "one user floods with its cap raised to the flood, so every offer is admitted");
    CategoryPlot plot = chart.getCategoryPlot();
    style(plot);
    BarRenderer bars = bars(plot);
    valueLabels(bars, NumberFormat.getIntegerInstance(Locale.ROOT));
    plot.addRangeMarker(
        marker(
            QUEUE_GOAL_PER_SEC,
            "goal (Redis, H2) 10,000/s",
            RectangleAnchor.TOP_RIGHT,
            TextAnchor.BOTTOM_RIGHT));
    // a marker does not widen the axis: keep the goal in view when every bar is below it
    double top = QUEUE_GOAL_PER_SEC;
    for (int r = 0; r < data.getRowCount(); r++) {
      for (int c = 0; c < data.getColumnCount(); c++) {
        Number v = data.getValue(r, c);
        top = v == null ? top : Math.max(top, v.doubleValue());
      }
    }
    plot.getRangeAxis().setRange(0, top * 1.12);
    return chart;
  }

  private static void addAdmissions(
      DefaultCategoryDataset data, Result result, String series, String database) {
    if (result != null) {
      data.addValue(number(result, "raised_flood_cap", "admissions_per_sec"), series, database);
    }
  }

  /** Whether {@code jobs.json} has the per-round arrays (older runs kept only the medians). */
  public static boolean hasRounds(Result jobs) {
    return jobs.json().has("local_ms") || jobs.json().has("redis_ms");
  }

  /**
   * Lines of each round's latency: the local queue, the Redis path and, when the run had it, the
   * second local path that shows this machine's noise alone.
   */
  public static JFreeChart jobs(Result jobs) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(rounds(jobs, "local_ms", "local queue"));
    data.addSeries(rounds(jobs, "redis_ms", "Redis path"));
    if (jobs.json().has("control_ms")) {
      data.addSeries(rounds(jobs, "control_ms", "control (a second local path)"));
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "End-to-end latency of one tiny job per round", "round", "ms, submit to image", data);
    StringBuilder sub =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "median of per-round ratios: Redis/local %.3f",
                number(jobs, "ratio_median")));
    if (jobs.json().has("control_ratio_median")) {
      sub.append(
          String.format(
              Locale.ROOT,
              ", control/local %.3f (noise alone)",
              number(jobs, "control_ratio_median")));
    }
    if (jobs.json().has("goal_ratio")) {
      sub.append(
          String.format(
              Locale.ROOT, "; goal: Redis/local at most %.2f", number(jobs, "goal_ratio")));
    }
    subtitle(chart, sub.toString());
    XYPlot plot = chart.getXYPlot();
    style(plot);
    plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    lines(plot, 0, 0);
    return chart;
  }

  private static XYSeries rounds(Result jobs, String field, String name) {
    XYSeries series = new XYSeries(name);
    List<Double> values = numbers(jobs, field);
    for (int i = 0; i < values.size(); i++) {
      series.add(i + 1, values.get(i));
    }
    return series;
  }

  /**
   * Memory over a soak run: RSS and heap (left axis) and live NDArrays (right axis) against jobs
   * done, with the end of the warm-up marked and the growth after it in the subtitle.
   */
  public static JFreeChart soak(Result soak) {
    List<Double> at = numbers(soak, "sampled_at_jobs");
    XYSeriesCollection memory = new XYSeriesCollection();
    memory.addSeries(sampled(soak, at, "rss_mb", "RSS (MB)"));
    memory.addSeries(sampled(soak, at, "heap_mb", "heap used (MB)"));
    if (soak.json().has("malloc_free_mb") && numbers(soak, "malloc_free_mb").get(0) >= 0) {
      memory.addSeries(
          sampled(soak, at, "malloc_free_mb", "glibc's free chunks (MB; resident unless trimmed)"));
    }
    XYSeriesCollection arrays = new XYSeriesCollection();
    arrays.addSeries(sampled(soak, at, "ndarrays", "live NDArrays (right axis)"));
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            String.format(Locale.ROOT, "Memory over a soak run of %.0f jobs", number(soak, "jobs")),
            "jobs done",
            "MB",
            memory);
    String allocator =
        soak.json().has("allocator")
            ? String.format(
                Locale.ROOT,
                "; %s, trim after each job: %s",
                soak.json().get("allocator").asText(),
                soak.json().path("trim_native_memory").asText("?"))
            : "";
    subtitle(
        chart,
        String.format(
            Locale.ROOT,
            "growth after warm-up: RSS %.1f %%, live NDArrays %.1f %% (goal: under %.0f %%)%s",
            number(soak, "rss_growth_pct"),
            number(soak, "ndarray_growth_pct"),
            number(soak, "goal_growth_pct"),
            allocator));
    XYPlot plot = chart.getXYPlot();
    style(plot);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    lines(plot, 0, 0);
    plot.setDataset(1, arrays);
    NumberAxis arrayAxis = new NumberAxis("live NDArrays");
    arrayAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    arrayAxis.setAutoRangeIncludesZero(true);
    plot.setRangeAxis(1, arrayAxis);
    plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
    plot.mapDatasetToRangeAxis(1, 1);
    plot.setRenderer(1, new XYLineAndShapeRenderer(true, false));
    lines(plot, 1, memory.getSeriesCount()); // its own colour, not the first series' again
    plot.addDomainMarker(
        marker(
            number(soak, "warmup_jobs"),
            "warm-up ends",
            RectangleAnchor.TOP_RIGHT,
            TextAnchor.TOP_LEFT));
    return chart;
  }

  private static XYSeries sampled(Result soak, List<Double> at, String field, String name) {
    List<Double> values = numbers(soak, field);
    if (values.size() != at.size()) {
      throw new BadResultFile(
          soak.file(), field + " has " + values.size() + " values, sampled_at_jobs " + at.size());
    }
    XYSeries series = new XYSeries(name);
    for (int i = 0; i < at.size(); i++) {
      series.add(at.get(i), values.get(i));
    }
    return series;
  }

  /**
   * Bars of {@code mean_clip_score} per strategy, with ± one standard deviation over the seeds: as
   * scored by the generator's own CLIP ({@code self}, may be null) and, when given, by another CLIP
   * ({@code judged}, may be null).
   */
  public static JFreeChart strategies(Result self, Result judged) {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    JsonNode first = null;
    for (Result result : new Result[] {self, judged}) {
      if (result == null) {
        continue;
      }
      List<JsonNode> runs = strategyLines(result);
      first = first == null ? runs.get(0) : first;
      String judge = runs.get(0).path("judge").asText("?");
      String series =
          result == self ? "scored by its own CLIP" : "judged by another CLIP (" + judge + ")";
      for (JsonNode run : runs) {
        Result line = new Result(result.file(), run);
        List<Double> scores = run.has("scores") ? numbers(line, "scores") : List.of();
        data.add(
            number(line, "mean_clip_score"),
            standardDeviation(scores),
            series,
            run.get("strategy").asText());
      }
    }
    if (first == null) {
      throw new IllegalArgumentException("no strategies result given");
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "CLIP score per strategy at equal wall time",
            "strategy",
            "mean CLIP score (whole image)",
            data);
    subtitle(
        chart,
        String.format(
            Locale.ROOT,
            "model %s, %.1f s per run, %d seeds each; error bars: ± one standard deviation over the seeds",
            first.path("model").asText("?"),
            first.path("seconds").asDouble(),
            first.path("scores").size()));
    CategoryPlot plot = chart.getCategoryPlot();
    style(plot);
    StatisticalBarRenderer bars = new StatisticalBarRenderer();
    bars.setErrorIndicatorPaint(Color.BLACK);
    plot.setRenderer(bars);
    bars(plot);
    plot.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1f)));
    return chart;
  }

  /** The per-strategy lines of a {@code bench strategies} run (its summary line left out). */
  private static List<JsonNode> strategyLines(Result result) {
    List<JsonNode> runs = new ArrayList<>();
    for (JsonNode line : result.json()) {
      if (line.has("strategy")) {
        if (!line.get("strategy").isTextual()) {
          throw new BadResultFile(result.file(), "\"strategy\" is not text");
        }
        runs.add(line);
      }
    }
    if (runs.isEmpty()) {
      throw new BadResultFile(result.file(), "no line with a \"strategy\"");
    }
    return runs;
  }

  private static double standardDeviation(List<Double> values) {
    if (values.size() < 2) {
      return 0;
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(squares / (values.size() - 1));
  }

  /** The fuzz counters in the order a case flows; those a run lacks are left out. */
  static final List<String> FUZZ_COUNTERS =
      List.of(
          "cases",
          "queued",
          "joined",
          "cached",
          "refused",
          "uncaught",
          "unanswered",
          "persisted_wrongly");

  private static final Map<String, String> DATABASES =
      Map.of("h2-file", "H2 file", "postgresql", "PostgreSQL");

  /**
   * Bars of the fuzz counters, one series per database (either argument may be null), each bar
   * labelled with its value so that the counters that must be 0 visibly are.
   */
  public static JFreeChart fuzz(Result h2, Result postgres) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Result result : new Result[] {h2, postgres}) {
      if (result == null) {
        continue;
      }
      String database = result.json().path("database").asText(result.file());
      String series = DATABASES.getOrDefault(database, database);
      for (String counter : FUZZ_COUNTERS) {
        // the three a fuzz run exists to check must be there; the others only in newer runs
        boolean required = List.of("cases", "uncaught", "unanswered").contains(counter);
        if (required || result.json().has(counter)) {
          data.addValue(number(result, counter), series, counter);
        }
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Fuzz: hostile commands through the core", "counter", "commands", data);
    subtitle(chart, "uncaught, unanswered and persisted_wrongly must be 0");
    CategoryPlot plot = chart.getCategoryPlot();
    style(plot);
    BarRenderer bars = bars(plot);
    bars.setItemMargin(0.12); // room for two "10,000" labels side by side
    valueLabels(bars, NumberFormat.getIntegerInstance(Locale.ROOT));
    bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12); // room for the labels
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(1.6f); // persisted_wrongly in full
    return chart;
  }

  /** The cache-hit reply goal of {@code bench load}, in ms (the latency chart's marker). */
  static final double CACHE_HIT_GOAL_MS = 20;

  /**
   * The client library a {@code bench load} result went through: Bolt for {@code "platform":
   * "slack"}, else JDA (results from before the platform was recorded are Discord's).
   */
  static String loadClient(Result load) {
    return "slack".equals(load.json().path("platform").asText()) ? "Bolt" : "JDA";
  }

  /**
   * The distributions of {@code bench load}'s latencies: for each latency, the share of commands
   * answered within it: the ack (dispatch to the interaction callback, or to Slack's HTTP ack) and
   * the cache-hit reply (dispatch to the cached image), with the cache-hit goal as a line.
   */
  public static JFreeChart loadLatency(Result load) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(distribution(load, "ack_ms", "ack (any command)"));
    data.addSeries(distribution(load, "cache_hit_ms", "cache-hit reply (the image)"));
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            String.format(
                Locale.ROOT,
                "Latency under load: %.0f /imagine from %.0f users through %s",
                number(load, "commands"),
                number(load, "users"),
                loadClient(load)),
            "ms from the command to the answer (log scale)",
            "share of commands answered within",
            data);
    subtitle(
        chart,
        String.format(
            Locale.ROOT,
            "ack p50 %.0f ms, p99 %.0f ms (idle bot, same run: p50 %.0f ms); cache hit p50 %.0f"
                + " ms, p99 %.0f ms (goal %.0f ms)",
            number(load, "ack_p50_ms"),
            number(load, "ack_p99_ms"),
            number(load, "idle_ack_p50_ms"),
            number(load, "cache_hit_reply_p50_ms"),
            number(load, "cache_hit_reply_p99_ms"),
            CACHE_HIT_GOAL_MS));
    XYPlot plot = chart.getXYPlot();
    LogAxis axis = new LogAxis(plot.getDomainAxis().getLabel());
    axis.setNumberFormatOverride(NumberFormat.getNumberInstance(Locale.ROOT));
    plot.setDomainAxis(axis);
    style(plot);
    ((XYLineAndShapeRenderer) plot.getRenderer()).setDefaultShapesVisible(false);
    lines(plot, 0, 0);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      ((XYLineAndShapeRenderer) plot.getRenderer()).setSeriesShapesVisible(i, false);
    }
    plot.addDomainMarker(
        marker(
            CACHE_HIT_GOAL_MS,
            "cache-hit goal",
            RectangleAnchor.BOTTOM_RIGHT,
            TextAnchor.BOTTOM_LEFT));
    return chart;
  }

  /**
   * The distributions of {@code bench load}'s waits (dispatch to the final image): users who asked
   * once, and the users flooding meanwhile: fairness is the first curve rising well before the
   * second.
   */
  public static JFreeChart loadWaits(Result load) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(distribution(load, "light_wait_s", "users who asked once"));
    data.addSeries(distribution(load, "flood_wait_s", "users flooding"));
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Waits for the image while a few users flood, through " + loadClient(load),
            "s from the interaction to the final image",
            "share of admitted jobs delivered within",
            data);
    subtitle(
        chart,
        String.format(
            Locale.ROOT,
            "asked once: p50 %.1f s, p99 %.1f s; flooding: p50 %.1f s, p99 %.1f s;"
                + " %.0f jobs, %.0f lost, %.0f HTTP 429",
            number(load, "p50_wait_s_light_users"),
            number(load, "p99_wait_s_light_users"),
            number(load, "p50_wait_s_flooders"),
            number(load, "p99_wait_s_flooders"),
            number(load, "jobs"),
            number(load, "lost"),
            number(load, "http_429")));
    XYPlot plot = chart.getXYPlot();
    style(plot);
    lines(plot, 0, 0);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      ((XYLineAndShapeRenderer) plot.getRenderer()).setSeriesShapesVisible(i, false);
    }
    return chart;
  }

  /** The counters of {@code bench faults} that must be 0, beside what was injected. */
  static final List<String> FAULT_OUTCOMES = List.of("jobs", "lost", "duplicated", "unanswered");

  /**
   * Bars of what {@code bench faults} injected (429s, 500s, gateway drops) and what became of the
   * jobs (admitted, lost, duplicated, unanswered), each labelled with its value.
   */
  public static JFreeChart faults(Result faults) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    JsonNode injected = faults.json().path("injected");
    if (!injected.isObject() || injected.isEmpty()) {
      throw new BadResultFile(faults.file(), "no faults under injected");
    }
    injected
        .fieldNames()
        .forEachRemaining(
            kind ->
                data.addValue(
                    number(faults, "injected", kind),
                    "injected",
                    kind.replace("discord_", "").replace("database_", "db ").replace('_', ' ')));
    for (String outcome : FAULT_OUTCOMES) {
      data.addValue(number(faults, outcome), "outcome", outcome);
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            String.format(
                Locale.ROOT,
                "Faults injected during %.0f /imagine, and what became of the jobs",
                number(faults, "commands")),
            null,
            "count",
            data);
    subtitle(chart, "lost, duplicated and unanswered must be 0");
    CategoryPlot plot = chart.getCategoryPlot();
    style(plot);
    BarRenderer bars = bars(plot);
    valueLabels(bars, NumberFormat.getIntegerInstance(Locale.ROOT));
    ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.12);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(1.6f);
    return chart;
  }

  /** Each value of {@code field} against the share of values at or below it. */
  private static XYSeries distribution(Result result, String field, String name) {
    List<Double> values = new ArrayList<>(numbers(result, field));
    values.sort(null);
    XYSeries series = new XYSeries(name, true, true);
    for (int i = 0; i < values.size(); i++) {
      // a log axis cannot show 0: the smallest measurable step stands for it
      series.add(Math.max(values.get(i), 0.001), (i + 1.0) / values.size());
    }
    return series;
  }

  /** The phases of our step, in the order {@code bench engine} writes them. */
  static final List<String> ENGINE_PHASES =
      List.of("generator", "cutouts", "clip", "backward", "adam", "preview");

  /**
   * {@code bench engine}: our {@code adam} step's time per phase, stacked, beside the limit (one
   * TorchScript call doing the step's computation); without a limit only our bar.
   */
  public static JFreeChart engine(Result engine) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    String ours = "our adam step (Java)";
    String limit = "limit (one TorchScript call)";
    for (String phase : ENGINE_PHASES) {
      data.addValue(number(engine, "phases_ms", phase), phase, ours);
    }
    JsonNode limitMs = engine.json().path("limit_ms_per_step");
    boolean hasLimit = limitMs.isNumber();
    if (hasLimit) {
      data.addValue(number(engine, "limit_ms_per_step"), "limit step", limit);
    }
    JFreeChart chart =
        ChartFactory.createStackedBarChart(
            "Engine: ms per adam step, by phase, against the limit", "", "ms per step", data);
    subtitle(
        chart,
        String.format(
            Locale.ROOT,
            "%s, %d cutouts, threads %d, cpu kernels %s; ours %.0f ms%s",
            engine.json().path("model").asText("?"),
            (int) number(engine, "cutouts"),
            (int) number(engine, "threads"),
            engine.json().path("cpu_kernels").asText("?"),
            number(engine, "java_ms_per_step"),
            hasLimit
                ? String.format(
                    Locale.ROOT,
                    ", limit %.0f ms, overhead %.1f %%%s",
                    number(engine, "limit_ms_per_step"),
                    number(engine, "overhead_pct"),
                    engine.json().path("overhead_cpu_pct").isNumber()
                        ? String.format(
                            Locale.ROOT,
                            " (by CPU time %.1f %%)",
                            number(engine, "overhead_cpu_pct"))
                        : "")
                : ", no limit module"));
    CategoryPlot plot = chart.getCategoryPlot();
    style(plot);
    BarRenderer bars = (BarRenderer) plot.getRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setMaximumBarWidth(0.25);
    Color[] phaseColors = {
      SERIES_COLORS[0],
      new Color(0x9467bd),
      SERIES_COLORS[1],
      SERIES_COLORS[3],
      new Color(0x8c564b),
      new Color(0x7f7f7f),
      SERIES_COLORS[2]
    };
    for (int i = 0; i < phaseColors.length; i++) {
      bars.setSeriesPaint(i, phaseColors[i]);
    }
    return chart;
  }

  /** The number at {@code path} in the result, or {@link BadResultFile} naming what is wrong. */
  static double number(Result result, String... path) {
    JsonNode node = result.json();
    for (String field : path) {
      node = node.path(field);
    }
    String name = String.join(".", path);
    if (node.isMissingNode()) {
      throw new BadResultFile(result.file(), "no field " + name);
    }
    if (!node.isNumber()) {
      throw new BadResultFile(result.file(), name + " is not a number: " + node);
    }
    return node.doubleValue();
  }

  /** The non-empty array of numbers in {@code field}, or {@link BadResultFile}. */
  static List<Double> numbers(Result result, String field) {
    JsonNode node = result.json().path(field);
    if (node.isMissingNode()) {
      throw new BadResultFile(result.file(), "no field " + field);
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new BadResultFile(result.file(), field + " is not a non-empty array");
    }
    List<Double> values = new ArrayList<>(node.size());
    for (JsonNode value : node) {
      if (!value.isNumber()) {
        throw new BadResultFile(result.file(), field + " holds a non-number: " + value);
      }
      values.add(value.doubleValue());
    }
    return values;
  }

  private static void subtitle(JFreeChart chart, String text) {
    chart.addSubtitle(new TextTitle(text, new Font(Font.SANS_SERIF, Font.PLAIN, 14)));
  }

  /** White plot, grey grid, numbers as in the JSON (no locale's separators). */
  private static void style(CategoryPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis())
        .setNumberFormatOverride(NumberFormat.getNumberInstance(Locale.ROOT));
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis())
        .setNumberFormatOverride(NumberFormat.getNumberInstance(Locale.ROOT));
  }

  /** Flat bars in the shared colours (the default gradient and shadow blur small bars). */
  private static BarRenderer bars(CategoryPlot plot) {
    BarRenderer bars = (BarRenderer) plot.getRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setItemMargin(0.05);
    for (int i = 0; i < SERIES_COLORS.length; i++) {
      bars.setSeriesPaint(i, SERIES_COLORS[i]);
    }
    return bars;
  }

  private static void valueLabels(BarRenderer bars, NumberFormat format) {
    bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", format));
    bars.setDefaultItemLabelsVisible(true);
    bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    bars.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
  }

  /** Lines with points in the shared colours, starting at colour {@code firstColor}. */
  private static void lines(XYPlot plot, int renderer, int firstColor) {
    XYLineAndShapeRenderer lines = (XYLineAndShapeRenderer) plot.getRenderer(renderer);
    for (int i = 0; i + firstColor < SERIES_COLORS.length; i++) {
      lines.setSeriesPaint(i, SERIES_COLORS[i + firstColor]);
      lines.setSeriesStroke(i, new BasicStroke(2f));
      lines.setSeriesShapesVisible(i, true);
    }
  }

  /** A dashed line with its label beside it, off the line (EXPAND: the offset moves it out). */
  private static ValueMarker marker(
      double value, String label, RectangleAnchor anchor, TextAnchor textAnchor) {
    ValueMarker marker = new ValueMarker(value);
    marker.setPaint(Color.DARK_GRAY);
    marker.setStroke(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    marker.setLabel(label);
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    marker.setLabelPaint(Color.DARK_GRAY);
    marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    marker.setLabelAnchor(anchor);
    marker.setLabelTextAnchor(textAnchor);
    marker.setLabelOffset(new RectangleInsets(4, 6, 4, 6));
    marker.setLabelOffsetType(LengthAdjustmentType.EXPAND);
    return marker;
  }
}
