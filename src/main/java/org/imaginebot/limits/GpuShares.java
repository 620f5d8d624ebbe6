package org.imaginebot.limits;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.imaginebot.settings.LiveSettings;

/**
 * How many jobs of each guild/workspace may run at once: one Resilience4j {@link Bulkhead} per
 * scope, sized by its {@code gpuConcurrency} setting and resized live when a moderator changes it.
 *
 * <p>Workers ask {@link #tryAcquire} for a job's scope before taking it from the queue, so a guild
 * using its share waits while other guilds' jobs run; {@link #release} gives the permit back. A
 * moderator's pause holds one guild's jobs the same way, without stopping other guilds.
 */
public final class GpuShares {

  private final LiveSettings settings;
  private final ConcurrentMap<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();
  private final ScopePauses paused;

  /** Shares whose pauses hold in this process only. */
  public GpuShares(LiveSettings settings) {
    this(settings, ScopePauses.local());
  }

  /**
   * @param paused where moderators' pauses are kept (shared by every node of a cluster)
   */
  public GpuShares(LiveSettings settings, ScopePauses paused) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.paused = Objects.requireNonNull(paused, "paused");
    settings.addListener(
        (scopeId, changed) -> {
          Bulkhead bulkhead = bulkheads.get(scopeId);
          if (bulkhead != null) {
            bulkhead.changeConfig(config(changed.gpuConcurrency()));
          }
        });
  }

  /**
   * Takes a running slot of {@code scopeId} without waiting; false when all are in use or it is
   * paused.
   */
  public boolean tryAcquire(String scopeId) {
    return !paused.isPaused(scopeId) && bulkhead(scopeId).tryAcquirePermission();
  }

  /** Starts no more jobs of {@code scopeId} until {@link #resume}; running ones finish. */
  public void pause(String scopeId) {
    paused.pause(scopeId);
  }

  /** Lets {@code scopeId}'s jobs start again; call {@code JobQueue.recheck()} to wake workers. */
  public void resume(String scopeId) {
    paused.resume(scopeId);
  }

  public boolean isPaused(String scopeId) {
    return paused.isPaused(scopeId);
  }

  /** Gives back a slot taken by {@link #tryAcquire}. */
  public void release(String scopeId) {
    bulkhead(scopeId).onComplete();
  }

  /** Slots of {@code scopeId} free now. */
  public int available(String scopeId) {
    return bulkhead(scopeId).getMetrics().getAvailableConcurrentCalls();
  }

  private Bulkhead bulkhead(String scopeId) {
    return bulkheads.computeIfAbsent(
        scopeId, id -> Bulkhead.of("gpu-share-" + id, config(settings.get(id).gpuConcurrency())));
  }

  private static BulkheadConfig config(int concurrency) {
    return BulkheadConfig.custom()
        .maxConcurrentCalls(concurrency)
        .maxWaitDuration(Duration.ZERO)
        .build();
  }
}
