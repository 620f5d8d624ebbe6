package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many queued jobs in one workspace, through the real Bolt app against the fake Slack: their
 * progress shares {@code slack.maxUpdatesPerMinute} (small here, so a test shorter than a minute
 * shows it), while a cache hit's image and every final message still go out at once.
 */
final class SlackWorkspaceBudgetTest {

  private static final int BUDGET = 4;
  private static final int JOBS = 12;
  private static final String CACHED = "a red barn --strategy search --steps 3 --seed 5";

  @TempDir Path dir;

  @Test
  void queuedJobs_shareTheWorkspaceBudget_whileACachedReplyAndFinalsGoOutAtOnce() throws Exception {
    try (SlackHarness h =
        SlackHarness.start(
            dir,
            Map.of(
                "slack.minUpdateInterval",
                "PT0.2S",
                "slack.maxUpdatesPerMinute",
                Integer.toString(BUDGET)))) {
      h.fake.post(h.port, FakeSlack.slashCommand("U0OWNER", "/imagine", CACHED));
      awaitFinals(h.fake, 1);

      for (int i = 0; i < JOBS; i++) {
        h.fake.post(
            h.port,
            FakeSlack.slashCommand(
                String.format("U%04d", i), "/imagine", "a quiet harbour --steps 40 --seed " + i));
      }
      // Every message posted and the budget spent: the others' progress now waits its turn.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  h.fake.calls("chat.postMessage").size() == JOBS + 1
                      && progressUpdates(h.fake).size() >= BUDGET);

      int callsBefore = h.fake.calls().size();
      long sent = System.nanoTime();
      h.fake.post(h.port, FakeSlack.slashCommand("U0OTHER", "/imagine", CACHED));
      ApiCall image =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> {
                    List<ApiCall> later =
                        h.fake.calls().subList(callsBefore, h.fake.calls().size());
                    Optional<String> ts =
                        later.stream()
                            .filter(
                                c ->
                                    c.method().equals("chat.postMessage")
                                        && c.param("text").contains("cached"))
                            .map(c -> c.param("ts"))
                            .findFirst();
                    return ts.flatMap(
                        t ->
                            later.stream()
                                .filter(
                                    c ->
                                        c.method().equals("files.completeUploadExternal")
                                            && t.equals(c.param("thread_ts")))
                                .findFirst());
                  },
                  Optional::isPresent)
              .get();
      Duration replyTime = Duration.ofNanos(image.atNanos() - sent);

      awaitFinals(h.fake, JOBS + 1);
      List<ApiCall> progress = progressUpdates(h.fake);
      for (ApiCall first : progress) { // any rolling minute, starting at an update
        long inMinute =
            progress.stream()
                .filter(
                    c ->
                        c.atNanos() >= first.atNanos()
                            && c.atNanos() - first.atNanos() < Duration.ofMinutes(1).toNanos())
                .count();
        assertThat(inMinute).isLessThanOrEqualTo(BUDGET);
      }
      // Each message ends on its final state: no stale progress after it.
      Map<String, List<ApiCall>> byMessage =
          h.fake.calls("chat.update").stream().collect(Collectors.groupingBy(c -> c.param("ts")));
      assertThat(byMessage)
          .hasSize(JOBS + 1)
          .allSatisfy(
              (ts, calls) -> assertThat(calls.get(calls.size() - 1).param("text")).startsWith("✅"));
      assertThat(replyTime).isLessThan(Duration.ofSeconds(2));
      System.out.printf(
          "slack, %d queued jobs at %d updates/min: %d progress updates, %d finals; cache-hit reply %d ms%n",
          JOBS, BUDGET, progress.size(), byMessage.size(), replyTime.toMillis());
    }
  }

  /** chat.update calls that show progress or a queue position (not a final state). */
  private static List<ApiCall> progressUpdates(FakeSlack fake) {
    return fake.calls("chat.update").stream()
        .filter(u -> !u.param("text").startsWith("✅"))
        .toList();
  }

  private static void awaitFinals(FakeSlack fake, int count) {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                fake.calls("chat.update").stream()
                    .filter(u -> u.param("text").startsWith("✅"))
                    .count(),
            n -> n >= count);
  }
}
