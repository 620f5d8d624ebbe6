package org.imaginebot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.imaginebot.metrics.Scrapes.sample;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class BotMetricsTest {

  private final BotMetrics metrics =
      new BotMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

  @Test
  void requestReceived_perSource_countsUnderImagineRequestsTotal() {
    metrics.requestReceived("discord");
    metrics.requestReceived("discord");
    metrics.requestReceived("slack");
    metrics.requestReceived("cli");

    String scrape = metrics.scrape();
    assertThat(scrape).contains("# TYPE imagine_requests_total counter");
    assertThat(sample(scrape, "imagine_requests_total{source=\"discord\"}")).contains(2.0);
    assertThat(sample(scrape, "imagine_requests_total{source=\"slack\"}")).contains(1.0);
    assertThat(sample(scrape, "imagine_requests_total{source=\"cli\"}")).contains(1.0);
  }

  @Test
  void jobQueued_counts_fromZero() {
    assertThat(sample(metrics.scrape(), "imagine_jobs_queued_total")).contains(0.0);

    metrics.jobQueued();
    metrics.jobQueued();
    metrics.jobQueued();

    assertThat(sample(metrics.scrape(), "imagine_jobs_queued_total")).contains(3.0);
  }

  @Test
  void jobStarted_recordsWaitCountSumMaxAndBuckets() {
    metrics.jobStarted(Duration.ofMillis(500));
    metrics.jobStarted(Duration.ofSeconds(4));

    String scrape = metrics.scrape();
    assertThat(sample(scrape, "imagine_job_wait_seconds_count")).contains(2.0);
    assertThat(sample(scrape, "imagine_job_wait_seconds_sum")).contains(4.5);
    assertThat(sample(scrape, "imagine_job_wait_seconds_max")).contains(4.0);
    assertThat(sample(scrape, "imagine_job_wait_seconds_bucket{le=\"1.0\"}")).contains(1.0);
    assertThat(sample(scrape, "imagine_job_wait_seconds_bucket{le=\"5.0\"}")).contains(2.0);
    assertThat(sample(scrape, "imagine_job_wait_seconds_bucket{le=\"+Inf\"}")).contains(2.0);
  }

  @Test
  void jobFinished_perOutcome_recordsRunTime() {
    metrics.jobFinished(Duration.ofSeconds(20), "done");
    metrics.jobFinished(Duration.ofSeconds(10), "done");
    metrics.jobFinished(Duration.ofSeconds(3), "timed_out");

    String scrape = metrics.scrape();
    assertThat(sample(scrape, "imagine_job_run_seconds_count{outcome=\"done\"}")).contains(2.0);
    assertThat(sample(scrape, "imagine_job_run_seconds_sum{outcome=\"done\"}")).contains(30.0);
    assertThat(sample(scrape, "imagine_job_run_seconds_count{outcome=\"timed_out\"}"))
        .contains(1.0);
    assertThat(sample(scrape, "imagine_job_run_seconds_bucket{outcome=\"done\",le=\"15.0\"}"))
        .contains(1.0);
    assertThat(sample(scrape, "imagine_job_run_seconds_count{outcome=\"failed\"}")).isEmpty();
  }

  @Test
  void cacheHitAndMiss_countPerLevelAndMisses() {
    metrics.cacheHit("memory");
    metrics.cacheHit("memory");
    metrics.cacheHit("disk");
    metrics.cacheHit("shared");
    metrics.cacheMiss();

    String scrape = metrics.scrape();
    assertThat(sample(scrape, "imagine_cache_hits_total{level=\"memory\"}")).contains(2.0);
    assertThat(sample(scrape, "imagine_cache_hits_total{level=\"disk\"}")).contains(1.0);
    assertThat(sample(scrape, "imagine_cache_hits_total{level=\"shared\"}")).contains(1.0);
    assertThat(sample(scrape, "imagine_cache_misses_total")).contains(1.0);
  }

  @Test
  void refused_perReason_countsUnderImagineRefusalsTotal() {
    metrics.refused("rate_limited");
    metrics.refused("queue_full");
    metrics.refused("queue_full");

    String scrape = metrics.scrape();
    assertThat(sample(scrape, "imagine_refusals_total{reason=\"rate_limited\"}")).contains(1.0);
    assertThat(sample(scrape, "imagine_refusals_total{reason=\"queue_full\"}")).contains(2.0);
  }

  @Test
  void bindQueue_gaugesFollowTheirSuppliers() {
    AtomicInteger queued = new AtomicInteger(3);
    AtomicInteger running = new AtomicInteger(1);
    metrics.bindQueue(queued::get, running::get);

    assertThat(sample(metrics.scrape(), "imagine_queue_jobs{state=\"queued\"}")).contains(3.0);
    assertThat(sample(metrics.scrape(), "imagine_queue_jobs{state=\"running\"}")).contains(1.0);

    queued.set(7);
    running.set(0);

    assertThat(sample(metrics.scrape(), "imagine_queue_jobs{state=\"queued\"}")).contains(7.0);
    assertThat(sample(metrics.scrape(), "imagine_queue_jobs{state=\"running\"}")).contains(0.0);
  }

  @Test
  void bindQueue_suppliersOnlyTheGaugeHolds_surviveGarbageCollection() {
    bindCountersNobodyElseHolds(5, 2);
    for (int i = 0; i < 3; i++) {
      System.gc();
    }

    assertThat(sample(metrics.scrape(), "imagine_queue_jobs{state=\"queued\"}")).contains(5.0);
    assertThat(sample(metrics.scrape(), "imagine_queue_jobs{state=\"running\"}")).contains(2.0);
  }

  @Test
  void bindQueue_twice_isRefused() {
    metrics.bindQueue(() -> 1, () -> 0);

    assertThatIllegalStateException()
        .isThrownBy(() -> metrics.bindQueue(() -> 2, () -> 0))
        .withMessageContaining("already bound");
  }

  @Test
  void tagValues_unboundedLooking_areRefusedWithTheTagName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> metrics.requestReceived("User 123"))
        .withMessageStartingWith("source must be a lower-case enum-like name")
        .withMessageEndingWith("got 'User 123'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> metrics.refused("RATE_LIMITED"))
        .withMessageStartingWith("reason must be");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> metrics.cacheHit(null))
        .withMessageEndingWith("got null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> metrics.jobFinished(Duration.ZERO, "a".repeat(33)))
        .withMessageStartingWith("outcome must be");
  }

  @Test
  void durations_negativeOrNull_areRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> metrics.jobStarted(Duration.ofSeconds(-1)))
        .withMessage("waited must be a duration of 0 or more, got PT-1S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> metrics.jobFinished(null, "done"))
        .withMessage("ran must be a duration of 0 or more, got null");
  }

  @Test
  void newBotMetrics_ownRegistry_bindsJvmMeters() {
    String scrape = new BotMetrics().scrape();

    assertThat(scrape)
        .contains(
            "jvm_memory_used_bytes{",
            "jvm_threads_live_threads ",
            "system_cpu_count ",
            "process_uptime_seconds ");
  }

  @Test
  void newBotMetrics_givenRegistry_registersOnIt() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BotMetrics onGiven = new BotMetrics(registry);

    onGiven.cacheMiss();

    assertThat(onGiven.registry()).isSameAs(registry);
    assertThat(registry.get("imagine.cache.misses").counter().count()).isEqualTo(1.0);
    assertThat(onGiven.scrape()).doesNotContain("jvm_");
  }

  private void bindCountersNobodyElseHolds(int queued, int running) {
    AtomicInteger queuedNow = new AtomicInteger(queued);
    AtomicInteger runningNow = new AtomicInteger(running);
    metrics.bindQueue(() -> queuedNow.get(), () -> runningNow.get());
  }
}
