package org.imaginebot.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one place that names every meter of the bot, so dashboards and alerts have a single list to
 * read.
 *
 * <p>Meters use Micrometer's dotted names and scrape under their Prometheus names:
 *
 * <ul>
 *   <li>{@code imagine_requests_total{source}}: requests received, by {@code discord}, {@code
 *       slack} or {@code cli};
 *   <li>{@code imagine_jobs_queued_total}: jobs admitted to the queue;
 *   <li>{@code imagine_job_wait_seconds}: time from queued to started (count, sum, max and
 *       buckets);
 *   <li>{@code imagine_job_run_seconds{outcome}}: time a job ran, by {@code done}, {@code failed},
 *       {@code cancelled} or {@code timed_out};
 *   <li>{@code imagine_cache_hits_total{level}} by {@code memory}, {@code disk} or {@code shared},
 *       and {@code imagine_cache_misses_total};
 *   <li>{@code imagine_refusals_total{reason}}: refused requests, by a lower-case reason name;
 *   <li>{@code imagine_queue_jobs{state}}: jobs {@code queued} and {@code running} now.
 * </ul>
 *
 * <p>Every tag value costs Prometheus one series for as long as it keeps the data, so tag values
 * must come from a small fixed set: callers pass lower-case enum-like names, never user ids,
 * channel names or prompts. Values that do not look like that ({@code [a-z][a-z0-9_]*}, at most 32
 * characters) are refused with an {@link IllegalArgumentException}.
 *
 * <p>Thread-safe; the methods are cheap enough to call on every request.
 */
public final class BotMetrics {

  private static final Pattern TAG_VALUE = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  private static final Duration[] WAIT_BUCKETS = {
    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
    Duration.ofMinutes(30)
  };

  private static final Duration[] RUN_BUCKETS = {
    Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1),
    Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20)
  };

  private final PrometheusMeterRegistry registry;
  private final Counter jobsQueued;
  private final Counter cacheMisses;
  private final Timer jobWait;
  private final AtomicBoolean queueBound = new AtomicBoolean();

  /** A new Prometheus registry with JVM memory, thread, processor and uptime meters bound. */
  public BotMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * The bot's meters on a registry the caller owns; binds no JVM meters, so a caller that wants
   * them binds its own.
   */
  public BotMetrics(PrometheusMeterRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    this.registry = registry;
    this.jobsQueued =
        Counter.builder("imagine.jobs.queued")
            .description("Jobs admitted to the queue")
            .register(registry);
    this.cacheMisses =
        Counter.builder("imagine.cache.misses")
            .description("Requests not found in any cache level")
            .register(registry);
    this.jobWait =
        Timer.builder("imagine.job.wait")
            .description("Time a job waited in the queue before it started")
            .serviceLevelObjectives(WAIT_BUCKETS)
            .register(registry);
  }

  /** Counts a request from {@code source}: {@code discord}, {@code slack} or {@code cli}. */
  public void requestReceived(String source) {
    Counter.builder("imagine.requests")
        .description("Requests received, by where they came from")
        .tag("source", tagValue("source", source))
        .register(registry)
        .increment();
  }

  /**
   * Counts a finished run whose result was thrown away because the job had already ended: another
   * worker finished it first (it was taken over), or a moderator cancelled it.
   */
  public void duplicateFinish() {
    Counter.builder("imagine.jobs.discarded")
        .description("Runs that ended after their job had already ended; their result is dropped")
        .register(registry)
        .increment();
  }

  /** Counts a job admitted to the queue. */
  public void jobQueued() {
    jobsQueued.increment();
  }

  /** Records how long a job waited in the queue before it started. */
  public void jobStarted(Duration waited) {
    jobWait.record(duration("waited", waited));
  }

  /**
   * Records how long a job ran and how it ended: {@code done}, {@code failed}, {@code cancelled} or
   * {@code timed_out}.
   */
  public void jobFinished(Duration ran, String outcome) {
    Duration checked = duration("ran", ran);
    Timer.builder("imagine.job.run")
        .description("Time a job ran, by how it ended")
        .tag("outcome", tagValue("outcome", outcome))
        .serviceLevelObjectives(RUN_BUCKETS)
        .register(registry)
        .record(checked);
  }

  /** Counts a cache hit at {@code level}: {@code memory}, {@code disk} or {@code shared}. */
  public void cacheHit(String level) {
    Counter.builder("imagine.cache.hits")
        .description("Requests answered from a cache, by cache level")
        .tag("level", tagValue("level", level))
        .register(registry)
        .increment();
  }

  /** Counts a request that no cache level could answer. */
  public void cacheMiss() {
    cacheMisses.increment();
  }

  /**
   * Counts a refused request by its reason, the lower-case name of a refusal enum such as {@code
   * rate_limited}, {@code queue_full} or {@code banned_word}.
   */
  public void refused(String reason) {
    Counter.builder("imagine.refusals")
        .description("Requests refused, by reason")
        .tag("reason", tagValue("reason", reason))
        .register(registry)
        .increment();
  }

  /**
   * Publishes the queue's size as {@code imagine_queue_jobs{state="queued"|"running"}}, read from
   * the suppliers at each scrape. The suppliers are held strongly, so a lambda passed here is not
   * collected. A supplier that returns {@code null} scrapes as NaN.
   *
   * @throws IllegalStateException if the queue is already bound
   */
  public void bindQueue(Supplier<Number> queued, Supplier<Number> running) {
    if (queued == null || running == null) {
      throw new IllegalArgumentException("queued and running suppliers must not be null");
    }
    if (!queueBound.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "queue gauges are already bound; bind one queue per BotMetrics");
    }
    queueGauge("queued", queued);
    queueGauge("running", running);
  }

  /** The registry in the Prometheus text exposition format 0.0.4, as served on {@code /metrics}. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry behind these meters, for binding further meters. */
  public MeterRegistry registry() {
    return registry;
  }

  private void queueGauge(String state, Supplier<Number> supplier) {
    Gauge.builder("imagine.queue.jobs", supplier)
        .description("Jobs in the queue now, by state")
        .tag("state", state)
        .strongReference(true)
        .register(registry);
  }

  private static String tagValue(String key, String value) {
    if (value == null || !TAG_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          key
              + " must be a lower-case enum-like name"
              + " ([a-z][a-z0-9_]*, at most 32 characters), got "
              + shown(value));
    }
    return value;
  }

  private static Duration duration(String name, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration of 0 or more, got " + value);
    }
    return value;
  }

  private static String shown(String value) {
    if (value == null) {
      return "null";
    }
    return value.length() <= 40 ? "'" + value + "'" : "'" + value.substring(0, 40) + "...'";
  }
}
