package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.imaginebot.bench.Charts.BadResultFile;
import org.imaginebot.bench.Charts.Result;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.statistics.StatisticalCategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/** The charts hold the numbers of the JSON they are given, not zeros for what is missing. */
class ChartsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Result result(String file, String json) throws Exception {
    return new Result(file, MAPPER.readTree(json));
  }

  private static Result admissions(String file, double perSec) throws Exception {
    return result(file, "{\"raised_flood_cap\":{\"admissions_per_sec\":" + perSec + "}}");
  }

  @Test
  void queue_barsAreTheRaisedCapAdmissions_missingFilesLeaveNoBar_andTheGoalIsMarked()
      throws Exception {
    JFreeChart chart =
        Charts.queue(
            admissions("queue-h2.json", 29254.8),
            admissions("queue-postgresql.json", 5300.5),
            admissions("queue-redis-h2.json", 14102.5),
            null);

    CategoryDataset data = chart.getCategoryPlot().getDataset();
    assertThat(data.getValue("local queue", "H2 file").doubleValue()).isEqualTo(29254.8);
    assertThat(data.getValue("local queue", "PostgreSQL").doubleValue()).isEqualTo(5300.5);
    assertThat(data.getValue("Redis path", "H2 file").doubleValue()).isEqualTo(14102.5);
    assertThat(data.getValue("Redis path", "PostgreSQL")).isNull();
    assertThat(chart.getCategoryPlot().getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND))
        .singleElement()
        .satisfies(
            m -> {
              ValueMarker goal = (ValueMarker) m;
              assertThat(goal.getValue()).isEqualTo(10_000);
              assertThat(goal.getLabel()).isEqualTo("goal (Redis, H2) 10,000/s");
            });
  }

  @Test
  void queue_keepsTheGoalInView_whenEveryBarIsBelowIt() throws Exception {
    JFreeChart chart = Charts.queue(null, admissions("queue-postgresql.json", 5300.5), null, null);

    assertThat(chart.getCategoryPlot().getRangeAxis().getUpperBound()).isGreaterThan(10_000);
  }

  @Test
  void jobs_oneSeriesPerPath_roundsFromOne() throws Exception {
    JFreeChart chart =
        Charts.jobs(
            result(
                "jobs.json",
                """
                {"ratio_median":0.9,"local_ms":[10,20],"redis_ms":[11,19],"control_ms":[12,18]}
                """));

    XYDataset data = chart.getXYPlot().getDataset();
    assertThat(data.getSeriesCount()).isEqualTo(3);
    assertThat(data.getSeriesKey(1)).isEqualTo("Redis path");
    assertThat(data.getXValue(1, 0)).isEqualTo(1);
    assertThat(data.getYValue(1, 1)).isEqualTo(19);
  }

  @Test
  void strategies_meanAndSpreadOfEachStrategy_summaryLineLeftOut() throws Exception {
    ArrayNode lines = MAPPER.createArrayNode();
    lines.add(
        MAPPER.readTree(
            "{\"judge\":\"self\",\"strategy\":\"adam\",\"mean_clip_score\":-0.0125,\"scores\":[-0.0125,-0.0158,-0.0092]}"));
    lines.add(MAPPER.readTree("{\"judge\":\"self\",\"summary\":true}"));

    JFreeChart chart = Charts.strategies(new Result("strategies.jsonl", lines), null);

    StatisticalCategoryDataset data =
        (StatisticalCategoryDataset) chart.getCategoryPlot().getDataset();
    assertThat(data.getColumnKeys()).containsExactly("adam");
    assertThat(data.getMeanValue("scored by its own CLIP", "adam").doubleValue())
        .isEqualTo(-0.0125);
    assertThat(data.getStdDevValue("scored by its own CLIP", "adam").doubleValue())
        .isCloseTo(0.0033, within(1e-9));
  }

  @Test
  void soak_arraysOfDifferentLengths_nameTheFileAndTheField() throws Exception {
    Result soak =
        result(
            "soak.json",
            """
            {"jobs":10,"warmup_jobs":2,"sampled_at_jobs":[0,5,10],"rss_mb":[1,2],
             "heap_mb":[1,2,3],"ndarrays":[0,1,1],"rss_growth_pct":1,"ndarray_growth_pct":0,
             "goal_growth_pct":5}
            """);

    assertThatThrownBy(() -> Charts.soak(soak))
        .isInstanceOf(BadResultFile.class)
        .hasMessage("soak.json: rss_mb has 2 values, sampled_at_jobs 3");
  }

  @Test
  void loadLatency_eachSampleAgainstTheShareAnsweredWithinIt_andTheGoalIsMarked() throws Exception {
    JFreeChart chart =
        Charts.loadLatency(
            result(
                "load.json",
                """
                {"commands":4,"users":2,"ack_ms":[30,10,20,0],"cache_hit_ms":[5,15],
                 "ack_p50_ms":10,"ack_p99_ms":30,"idle_ack_p50_ms":8,"cache_hit_reply_p50_ms":5,
                 "cache_hit_reply_p99_ms":15}
                """));

    XYDataset data = chart.getXYPlot().getDataset();
    assertThat(data.getSeriesCount()).isEqualTo(2);
    assertThat(data.getItemCount(0)).isEqualTo(4);
    assertThat(data.getXValue(0, 0)).as("0 ms drawn on the log axis").isEqualTo(0.001);
    assertThat(data.getXValue(0, 3)).isEqualTo(30.0);
    assertThat(data.getYValue(0, 1)).isEqualTo(0.5);
    assertThat(data.getYValue(1, 1)).isEqualTo(1.0);
    assertThat(chart.getXYPlot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).hasSize(1);
  }

  @Test
  void loadWaits_aMissingSampleArray_namesTheFileAndTheField() throws Exception {
    Result load =
        result(
            "load.json",
            """
            {"light_wait_s":[1,2],"p50_wait_s_light_users":1}
            """);

    assertThatThrownBy(() -> Charts.loadWaits(load))
        .isInstanceOf(Charts.BadResultFile.class)
        .hasMessage("load.json: no field flood_wait_s");
  }

  @Test
  void faults_barsOfWhatWasInjected_besideWhatBecameOfTheJobs() throws Exception {
    JFreeChart chart =
        Charts.faults(
            result(
                "faults.json",
                """
                {"commands":60,"jobs":19,"lost":0,"duplicated":0,"unanswered":0,
                 "injected":{"discord_500_edits":6,"gateway_drops":1,"database_outages":1}}
                """));

    CategoryDataset data = chart.getCategoryPlot().getDataset();
    assertThat(data.getValue("injected", "500 edits").doubleValue()).isEqualTo(6);
    assertThat(data.getValue("injected", "gateway drops").doubleValue()).isEqualTo(1);
    assertThat(data.getValue("injected", "db outages").doubleValue()).isEqualTo(1);
    assertThat(data.getValue("outcome", "jobs").doubleValue()).isEqualTo(19);
    assertThat(data.getValue("outcome", "lost").doubleValue()).isZero();
  }
}
