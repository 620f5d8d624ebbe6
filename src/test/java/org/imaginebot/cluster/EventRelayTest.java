package org.imaginebot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.QueueLimits;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.imaginebot.worker.JobEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot node's relay: every event of its own jobs, and each end once, even one it missed. */
class EventRelayTest {

  @TempDir Path dir;

  /** Records what the relay hands on. */
  private static final class Recorded implements JobEvents {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void started(Job job) {
      events.add("started");
    }

    @Override
    public void progress(Job job, Progress progress) {
      events.add("step " + progress.step() + (progress.hasPreview() ? " preview" : ""));
    }

    @Override
    public void finished(Job job, Outcome outcome) {
      events.add("finished " + outcome.image().seed());
    }

    @Override
    public void failed(Job job, JobFailure failure, String message) {
      events.add("failed " + message);
    }

    @Override
    public void cancelled(Job job) {
      events.add("cancelled");
    }

    @Override
    public void discarded(Job job) {
      events.add("discarded");
    }
  }

  @Test
  void relaysItsJobsEventsAndDeliversAMissedEndOnce() throws Exception {
    try (TestRedis testRedis = TestRedis.local();
        TestDatabase testDb = TestDatabase.h2(dir);
        Database database = testDb.open();
        Redis redis = Redis.connect(testRedis.config("bot"));
        RedisJobQueue queue =
            new RedisJobQueue(
                redis,
                JobStore.jdbc(database.dataSource()),
                new QueueLimits(10, 10),
                Clock.systemUTC(),
                Duration.ofSeconds(30),
                () -> 1,
                0)) {
      Recorded recorded = new Recorded();
      try (EventRelay relay = new EventRelay(redis, queue, recorded)) {
        GenerationRequest request =
            new GenerationRequest(
                List.of(new WeightedPrompt("a", 1.0)), "tiny", Strategy.ADAM, 2, 5);
        Job job = ((Admitted) queue.offer("alice", "g", request)).job();

        redis.publish("events:bot", JobMessages.started(job));
        redis.publish(
            "events:bot",
            JobMessages.progress(job, new Progress(1, 2, 0.5, 0.1, new byte[] {1, 2})));
        redis.publish("events:other-node", JobMessages.cancelled(job)); // not this node's channel
        await().until(() -> recorded.events.size() == 2);
        assertThat(recorded.events).containsExactly("started", "step 1 preview");

        // The end was published while this node was away: only ended:<job> has it.
        CachedImage image =
            new CachedImage(new byte[] {9}, 0.3, 2, 2, 5, "tiny", "adam", Instant.now(), 10);
        String end = JobMessages.finished(job, new Outcome(image, false, false));
        redis.commands().setex(redis.key("ended:" + job.id().value()), 60, end);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorded.events.size() == 3);
        assertThat(recorded.events.get(2)).isEqualTo("finished 5");

        redis.publish("events:bot", end); // the same end arriving late
        redis.publish("events:bot", JobMessages.started(job)); // a marker after it
        await().until(() -> recorded.events.size() == 4);
        assertThat(recorded.events)
            .containsExactly("started", "step 1 preview", "finished 5", "started");
      }
    }
  }
}
