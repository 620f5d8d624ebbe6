package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench report} draws real PNGs from result files shaped like those the benches write. */
class ReportBenchTest {

  @TempDir Path dir;

  private record Outcome(int code, String output) {
    /** The JSON line the command prints last. */
    JsonNode json() throws Exception {
      List<String> lines = output.strip().lines().toList();
      return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }
  }

  private Outcome report(Path results, Path out) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code =
        Main.run(
            new String[] {
              "bench", "report", "--results", results.toString(), "--out", out.toString()
            },
            Map.of(),
            stream,
            stream,
            false);
    return new Outcome(code, bytes.toString(StandardCharsets.UTF_8));
  }

  private static final String LOAD =
      """
      {"commands":4,"users":2,"jobs":2,"lost":0,"http_429":0,"ack_ms":[30,10,20,5],
       "cache_hit_ms":[5,15],"light_wait_s":[1.5],"flood_wait_s":[2.5,4],"ack_p50_ms":10,
       "ack_p99_ms":30,"idle_ack_p50_ms":8,"cache_hit_reply_p50_ms":5,"cache_hit_reply_p99_ms":15,
       "p50_wait_s_light_users":1.5,"p99_wait_s_light_users":1.5,"p50_wait_s_flooders":2.5,
       "p99_wait_s_flooders":4}
      """;

  private static final String FAULTS =
      """
      {"commands":60,"jobs":19,"lost":0,"duplicated":0,"unanswered":0,
       "injected":{"discord_500_edits":3,"gateway_drops":1}}
      """;

  @Test
  void drawsOneChartPerResult_andSkipsTheMissingFilesWithTheirReason() throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("queue-h2.json"), queue("h2-file", null, 29254.8));
    Files.writeString(results.resolve("queue-redis-h2.json"), queue("h2-file", "redis", 14102.5));
    Files.writeString(results.resolve("jobs.json"), JOBS);
    Files.writeString(results.resolve("soak.json"), SOAK);
    Files.writeString(results.resolve("strategies.jsonl"), STRATEGIES);
    Files.writeString(results.resolve("fuzz.json"), FUZZ);
    Files.writeString(results.resolve("load.json"), LOAD);
    Files.writeString(
        results.resolve("load-slack.json"), LOAD.replace("{", "{\"platform\":\"slack\","));
    Files.writeString(results.resolve("faults.json"), FAULTS);
    Files.writeString(results.resolve("engine.json"), ENGINE);
    Path out = dir.resolve("charts"); // not there yet: the command makes it

    Outcome run = report(results, out);

    assertThat(run.code()).as(run.output()).isZero();
    List<String> names =
        List.of(
            "queue.png",
            "jobs.png",
            "soak.png",
            "strategies.png",
            "load-latency.png",
            "load-waits.png",
            "load-slack-latency.png",
            "load-slack-waits.png",
            "faults.png",
            "fuzz.png",
            "engine.png");
    List<String> expected = new ArrayList<>();
    for (String name : names) {
      Path png = out.resolve(name);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).as(name + " is a PNG").isNotNull();
      assertThat(image.getWidth()).as(name).isEqualTo(1000);
      assertThat(image.getHeight()).as(name).isEqualTo(600);
      expected.add(png.toString());
    }
    JsonNode json = run.json();
    assertThat(json.get("benchmark").asText()).isEqualTo("report");
    assertThat(texts(json.get("charts"))).containsExactlyElementsOf(expected);
    assertThat(texts(json.get("skipped")))
        .containsExactly(
            "queue-postgresql.json: not found",
            "queue-redis-postgresql.json: not found",
            "strategies-judge.jsonl: not found",
            "fuzz-postgresql.json: not found",
            "engine-biggan-deep-256.json: not found",
            "engine-stylegan2-256.json: not found");
  }

  @Test
  void jobsWithoutPerRoundArrays_andNoSoakRun_areSkipped_notFailed() throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    // the format before bench jobs kept each round
    Files.writeString(
        results.resolve("jobs.json"),
        """
        {"benchmark":"jobs","model":"tiny","steps":10,"jobs":12,"local_median_ms":1927.192,\
        "redis_median_ms":3500.558,"ratio_median":1.816,"goal_ratio":1.1}
        """);
    Files.writeString(results.resolve("fuzz.json"), FUZZ);
    Path out = dir.resolve("charts");

    Outcome run = report(results, out);

    assertThat(run.code()).as(run.output()).isZero();
    JsonNode json = run.json();
    assertThat(texts(json.get("charts"))).containsExactly(out.resolve("fuzz.png").toString());
    assertThat(texts(json.get("skipped")))
        .contains("jobs.json: no per-round arrays", "soak.json: not found");
    assertThat(out.resolve("jobs.png")).doesNotExist();
  }

  @Test
  void aGarbledResult_failsWithOneLineNamingTheFile_andWritesNoChart() throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("fuzz.json"), FUZZ);
    String whole = queue("h2-file", null, 29254.8);
    Files.writeString(results.resolve("queue-h2.json"), whole.substring(0, whole.length() / 2));
    Path out = dir.resolve("charts");

    Outcome run = report(results, out);

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.output().strip())
        .startsWith("error: queue-h2.json: not valid JSON at line 1")
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .hasLineCount(1);
    assertThat(out).as("no chart half-written before the garbled file").doesNotExist();
  }

  @Test
  void aFieldThatIsNotANumber_failsNamingTheFileAndTheField() throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(
        results.resolve("queue-h2.json"),
        queue("h2-file", null, 1)
            .replace("\"admissions_per_sec\":1.0", "\"admissions_per_sec\":\"fast\""));

    Outcome run = report(results, dir.resolve("charts"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.output().strip())
        .isEqualTo(
            "error: queue-h2.json: raised_flood_cap.admissions_per_sec is not a number: \"fast\"");
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  /** A {@code bench queue} line, as queue-h2.json holds it (fields the chart does not use cut). */
  static String queue(String database, String backend, double raisedAdmissionsPerSec) {
    return String.format(
        java.util.Locale.ROOT,
        """
        {"bench":"queue","database":"%s",%s"producers":8,"users":100,"jobs_per_user":3,\
        "flood":5000,"rounds":3,"production":{"max_queued":500,"offers":5300,"admitted":313,\
        "refused":4987,"admissions_per_sec":12350.9,"p99_admit_us":4197.6,\
        "jain_contested_takes":0.9743},"raised_flood_cap":{"max_queued":5300,"offers":5300,\
        "admitted":5300,"refused":0,"admissions_per_sec":%.1f,"p99_admit_us":6291.8,\
        "jain_contested_takes":0.9989},"in_memory_admissions_per_sec":428660.3}
        """,
        database,
        backend == null ? "" : "\"backend\":\"" + backend + "\",",
        raisedAdmissionsPerSec);
  }

  static final String JOBS =
      """
      {"benchmark":"jobs","model":"tiny","steps":10,"jobs":4,"local_median_ms":632.96,\
      "redis_median_ms":603.854,"control_median_ms":591.661,"local_min_ms":563.525,\
      "redis_min_ms":565.781,"ratio_median":0.938,"control_ratio_median":0.948,"goal_ratio":1.1,\
      "local_ms":[790.52,714.144,711.096,659.875],"control_ms":[714.889,624.18,597.862,596.113],\
      "redis_ms":[714.22,665.053,603.213,580.697],"covers":"ImagineService.submit to the image"}
      """;

  static final String SOAK =
      """
      {"benchmark":"soak","jobs":1000,"warmup_jobs":100,\
      "sampled_at_jobs":[0,100,200,300,400,500,600,700,800,900,1000],\
      "rss_mb":[900,1180,1190,1192,1195,1196,1198,1199,1200,1203,1205],\
      "ndarrays":[0,412,412,412,412,412,412,412,412,412,412],\
      "heap_mb":[120,210,180,200,190,205,185,210,195,200,190],\
      "rss_growth_pct":1.2,"ndarray_growth_pct":0.0,"goal_growth_pct":5}
      """;

  static final String STRATEGIES =
      """
      {"bench":"strategies","model":"tiny","judge":"self","self_judged":true,"seconds":8.0,"strategy":"adam","steps":[92.0,92.0,92.0],"retimed_runs":1,"mean_run_seconds":7.981,"run_seconds":[7.862,8.142,7.938],"mean_clip_score":-0.0125,"scores":[-0.0125,-0.0158,-0.0092]}
      {"bench":"strategies","model":"tiny","judge":"self","self_judged":true,"seconds":8.0,"strategy":"evolve","steps":[61.0,61.0,61.0],"retimed_runs":1,"mean_run_seconds":8.062,"run_seconds":[8.171,8.09,7.925],"mean_clip_score":0.0058,"scores":[-7.0E-4,0.0108,0.0073]}
      {"bench":"strategies","model":"tiny","judge":"self","self_judged":true,"seconds":8.0,"summary":true,"mean_run_seconds":{"adam":7.981,"evolve":8.062},"time_spread":0.061,"equal_time":true}
      """;

  static final String FUZZ =
      """
      {"cases":10000,"uncaught":0,"unanswered":0,"seed":225916050891420,"bench":"fuzz",\
      "target":"core","queued":4528,"joined":2566,"cached":0,"refused":5472,\
      "persisted_wrongly":0,"persisted":{"jobs":1962},"refusal_kinds":{"bad_request":4542},\
      "problems":{},"kinds":{"plain":866},"seconds":3.48,"database":"h2-file"}
      """;

  static final String ENGINE =
      """
      {"bench":"engine","model":"tiny","cutouts":32,"threads":2,"cpu_kernels":"native","rounds":2,\
      "steps":3,"java_ms_per_step":373.5,"limit_ms_per_step":280.13,"overhead_pct":33.33,\
      "phases_ms":{"generator":6.49,"cutouts":82.19,"clip":28.38,"backward":244.97,"adam":1.41,\
      "preview":1.98},"java_rounds_ms":[444.87,302.13],"limit_rounds_ms":[306.99,253.26],\
      "limit_loss_deviation":0.0,"live_arrays_growth":0,"rss_growth_mb":8.82}
      """;
}
