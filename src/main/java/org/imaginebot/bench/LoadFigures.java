package org.imaginebot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.imaginebot.bench.LoadPlan.Kind;
import org.imaginebot.bench.LoadRecord.Answer;
import org.imaginebot.bench.fake.discord.RestCall;

/**
 * The figures of a load run, from what each command got ({@link LoadRecord}) and what the fake
 * platform recorded ({@link ChatCalls}): latencies, edit rates, 429s, lost and duplicated jobs.
 */
public final class LoadFigures {

  /** The window Discord's edit limit is counted in. */
  public static final Duration EDIT_WINDOW = Duration.ofSeconds(5);

  private LoadFigures() {}

  /**
   * The run's JSON: counts, latency percentiles (ack: dispatch to callback; cache hit: dispatch to
   * the image; wait: dispatch to the final message), the most edits of one message in any {@link
   * #EDIT_WINDOW}, the 429s the fake sent, and the samples behind each percentile for the charts.
   */
  public static ObjectNode of(List<LoadRecord> records, List<RestCall> calls) {
    return of(
        records,
        new ChatCalls(
            maxEditsInWindow(calls, EDIT_WINDOW),
            calls.stream().filter(c -> c.status() == 429).count()));
  }

  /** The run's JSON (see {@link #of(List, List)}) from what any fake platform recorded. */
  public static ObjectNode of(List<LoadRecord> records, ChatCalls calls) {
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("commands", records.size());
    json.put("jobs", count(records, r -> r.answer() == Answer.ADMITTED));
    json.put("cache_hits", count(records, r -> r.answer() == Answer.CACHED));
    json.put("refused", count(records, r -> r.answer() == Answer.REFUSED));
    json.put("repeats_not_cached", repeatsNotCached(records));
    json.put("unanswered", count(records, r -> r.answer() == Answer.NONE));
    double[] acks = values(records, r -> r.answer() != Answer.NONE, LoadRecord::ackMillis);
    double[] hits = values(records, r -> r.answer() == Answer.CACHED, LoadRecord::replyMillis);
    double[] lightWaits = waits(records, Kind.LIGHT);
    double[] floodWaits = waits(records, Kind.FLOOD);
    json.put("ack_p50_ms", round(percentile(acks, 50)));
    json.put("ack_p99_ms", round(percentile(acks, 99)));
    json.put("cache_hit_reply_p50_ms", round(percentile(hits, 50)));
    json.put("cache_hit_reply_p99_ms", round(percentile(hits, 99)));
    json.put("max_edits_per_5s", calls.maxEditsPerWindow());
    json.put("http_429", calls.http429());
    json.put("lost", lost(records));
    json.put("duplicated", duplicated(records));
    json.put("p99_wait_s_light_users", round(percentile(lightWaits, 99)));
    json.put("p50_wait_s_light_users", round(percentile(lightWaits, 50)));
    json.put("p50_wait_s_flooders", round(percentile(floodWaits, 50)));
    json.put("p99_wait_s_flooders", round(percentile(floodWaits, 99)));
    samples(json.putArray("ack_ms"), acks);
    samples(json.putArray("cache_hit_ms"), hits);
    samples(json.putArray("light_wait_s"), lightWaits);
    samples(json.putArray("flood_wait_s"), floodWaits);
    return json;
  }

  /** Admitted jobs whose user got no final message. */
  public static long lost(List<LoadRecord> records) {
    return count(records, r -> r.answer() == Answer.ADMITTED && r.finalNanos().isEmpty());
  }

  /** Repeats of a finished request that the cache did not answer. */
  public static long repeatsNotCached(List<LoadRecord> records) {
    return count(records, r -> r.command().kind() == Kind.REPEAT && r.answer() != Answer.CACHED);
  }

  /** Commands whose user got more than one final message. */
  public static long duplicated(List<LoadRecord> records) {
    return count(records, r -> r.finalNanos().size() > 1);
  }

  /**
   * The most edits (PATCH calls, whatever their answer) one message got in any {@code window}: each
   * message is its own route, as Discord counts them.
   */
  public static int maxEditsInWindow(List<RestCall> calls, Duration window) {
    Map<String, List<Long>> byRoute = new HashMap<>();
    for (RestCall call : calls) {
      if (call.method().equals("PATCH") && call.path().contains("/messages/")) {
        byRoute.computeIfAbsent(call.path(), p -> new ArrayList<>()).add(call.atNanos());
      }
    }
    return maxInWindow(byRoute.values(), window);
  }

  /**
   * The most times of one list that fall in any {@code window}: e.g. the edits of each message,
   * each list on its own.
   */
  public static int maxInWindow(Collection<List<Long>> timesPerKey, Duration window) {
    int max = 0;
    for (List<Long> times : timesPerKey) {
      long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
      int first = 0;
      for (int last = 0; last < sorted.length; last++) {
        while (sorted[last] - sorted[first] >= window.toNanos()) {
          first++;
        }
        max = Math.max(max, last - first + 1);
      }
    }
    return max;
  }

  /** Nearest-rank percentile {@code p} (0..100]; 0 for no values. */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
  }

  private static double[] waits(List<LoadRecord> records, Kind kind) {
    return values(
        records,
        r ->
            r.command().kind() == kind
                && r.answer() == Answer.ADMITTED
                && !r.finalNanos().isEmpty(),
        LoadRecord::waitSeconds);
  }

  private static double[] values(
      List<LoadRecord> records,
      Predicate<LoadRecord> which,
      java.util.function.ToDoubleFunction<LoadRecord> value) {
    return records.stream().filter(which).mapToDouble(value).toArray();
  }

  private static long count(List<LoadRecord> records, Predicate<LoadRecord> which) {
    return records.stream().filter(which).count();
  }

  private static void samples(ArrayNode array, double[] values) {
    for (double v : values) {
      array.add(round(v));
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
