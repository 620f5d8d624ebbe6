package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.imaginebot.bench.LoadPlan.Command;
import org.imaginebot.bench.LoadPlan.Kind;
import org.imaginebot.bench.LoadRecord.Answer;
import org.imaginebot.bench.fake.discord.RestCall;
import org.junit.jupiter.api.Test;

final class LoadFiguresTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  private static RestCall patch(String path, long atNanos, int status) {
    return new RestCall("PATCH", path, "application/json", new byte[0], atNanos, status, "", null);
  }

  @Test
  void editsOfOneMessage_countedInASlidingWindow_eachMessageOnItsOwn() {
    String a = "webhooks/1/a/messages/@original";
    String b = "webhooks/1/b/messages/@original";
    List<RestCall> calls =
        List.of(
            patch(a, 0, 200),
            patch(a, 1 * S, 200),
            patch(a, 4 * S, 429), // a refused attempt still counts
            patch(a, 5 * S, 200), // the first left the window
            patch(a, 5 * S + 1, 200),
            patch(b, 0, 200),
            patch(b, 100 * MS, 200));

    assertThat(LoadFigures.maxEditsInWindow(calls, Duration.ofSeconds(5))).isEqualTo(4);
    assertThat(LoadFigures.maxEditsInWindow(calls, Duration.ofMillis(50)))
        .as("the two edits 1 ns apart")
        .isEqualTo(2);
  }

  @Test
  void lostAndDuplicated_comeFromTheFinalMessagesOfAdmittedJobs() {
    List<LoadRecord> records =
        List.of(
            new LoadRecord(
                new Command(0, Kind.FLOOD, 1), 0, Answer.ADMITTED, 10 * MS, List.of(2 * S)),
            new LoadRecord(new Command(1, Kind.LIGHT, 0), 0, Answer.ADMITTED, 20 * MS, List.of()),
            new LoadRecord(
                new Command(2, Kind.REPEAT, 1), 0, Answer.CACHED, 5 * MS, List.of(5 * MS)),
            new LoadRecord(
                new Command(3, Kind.FLOOD, 1), 0, Answer.ADMITTED, 30 * MS, List.of(S, 3 * S)),
            new LoadRecord(new Command(4, Kind.FLOOD, 1), 0, Answer.REFUSED, 40 * MS, List.of()));

    ObjectNode json = LoadFigures.of(records, List.of());

    assertThat(json.get("jobs").asInt()).isEqualTo(3);
    assertThat(json.get("lost").asInt()).isEqualTo(1);
    assertThat(json.get("duplicated").asInt()).isEqualTo(1);
    assertThat(json.get("cache_hits").asInt()).isEqualTo(1);
    assertThat(json.get("refused").asInt()).isEqualTo(1);
    assertThat(json.get("ack_p50_ms").asDouble()).isEqualTo(20.0);
    assertThat(json.get("ack_p99_ms").asDouble()).isEqualTo(40.0);
    assertThat(json.get("cache_hit_reply_p99_ms").asDouble()).isEqualTo(5.0);
    assertThat(json.get("light_wait_s")).as("the lost light job has no wait").isEmpty();
    assertThat(json.get("p50_wait_s_flooders").asDouble()).isEqualTo(1.0);
  }

  @Test
  void aCacheHitsReplyTime_isItsFirstFinalMessage_andARepeatTheCacheDidNotAnswer_isCounted() {
    List<LoadRecord> records =
        List.of(
            // Slack: acknowledged at 3 ms, the cached image in its thread at 120 ms
            new LoadRecord(
                new Command(0, Kind.REPEAT, 1), 0, Answer.CACHED, 3 * MS, List.of(120 * MS)),
            new LoadRecord(
                new Command(1, Kind.REPEAT, 1), 0, Answer.ADMITTED, 4 * MS, List.of(2 * S)));

    ObjectNode json = LoadFigures.of(records, new ChatCalls(2, 0));

    assertThat(json.get("cache_hit_reply_p99_ms").asDouble()).isEqualTo(120.0);
    assertThat(json.get("ack_p99_ms").asDouble()).isEqualTo(4.0);
    assertThat(json.get("repeats_not_cached").asInt()).isEqualTo(1);
    assertThat(json.get("max_edits_per_5s").asInt()).isEqualTo(2);
  }

  @Test
  void maxInWindow_countsEachKeysTimesOnItsOwn() {
    List<List<Long>> times = List.of(List.of(0L, 2 * S, 4 * S, 6 * S), List.of(0L, 1L, 2L));
    assertThat(LoadFigures.maxInWindow(times, Duration.ofSeconds(5))).isEqualTo(3);
    assertThat(LoadFigures.maxInWindow(List.of(), Duration.ofSeconds(5))).isZero();
  }

  @Test
  void percentile_isTheNearestRank() {
    double[] values = {5, 1, 4, 2, 3};
    assertThat(LoadFigures.percentile(values, 50)).isEqualTo(3);
    assertThat(LoadFigures.percentile(values, 99)).isEqualTo(5);
    assertThat(LoadFigures.percentile(values, 1)).isEqualTo(1);
    assertThat(LoadFigures.percentile(new double[0], 99)).isZero();
  }
}
