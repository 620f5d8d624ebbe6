package org.imaginebot.cluster;

import io.lettuce.core.RedisException;
import java.util.Objects;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.ScopeSettings;
import org.imaginebot.settings.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live settings across nodes: a change stored (in the database) on one node is announced on {@code
 * settings}, and every other node reads that scope again, well within a second. A guild's GPU share
 * is also published in the hash {@code share}, which the dispatch script reads.
 */
public final class SettingsNotices {

  private static final Logger LOG = LoggerFactory.getLogger(SettingsNotices.class);

  private final Redis redis;
  private final LiveSettings settings;
  private final String node;
  private final ThreadLocal<Boolean> reloading = ThreadLocal.withInitial(() -> false);

  private SettingsNotices(Redis redis, LiveSettings settings) {
    this.redis = redis;
    this.settings = settings;
    this.node = redis.config().node();
  }

  /** Starts announcing this node's changes and applying other nodes'. */
  public static SettingsNotices start(Redis redis, LiveSettings settings) {
    SettingsNotices notices =
        new SettingsNotices(
            Objects.requireNonNull(redis, "redis"), Objects.requireNonNull(settings, "settings"));
    settings.addListener(notices::changedHere);
    redis.subscribe("settings", (channel, message) -> notices.changedElsewhere(message));
    notices.publishShares();
    return notices;
  }

  /**
   * Writes every guild's GPU share into Redis (at start, and when Redis comes back empty), so the
   * dispatch script knows the shares that differ from the default.
   */
  public void publishShares() {
    try {
      for (String scopeId : settings.scopesOverriding(Setting.GPU_CONCURRENCY)) {
        redis
            .commands()
            .hset(
                redis.key("share"),
                scopeId,
                Integer.toString(settings.get(scopeId).gpuConcurrency()));
      }
    } catch (RedisException e) {
      LOG.warn("cannot publish the guilds' GPU shares ({})", Redis.describe(e));
    } catch (RuntimeException e) {
      LOG.warn("cannot read the guilds' GPU shares", e);
    }
  }

  private void changedHere(String scopeId, ScopeSettings changed) {
    try {
      redis
          .commands()
          .hset(redis.key("share"), scopeId, Integer.toString(changed.gpuConcurrency()));
      if (!reloading.get()) {
        redis.publish("settings", node + "\n" + scopeId);
      }
    } catch (RedisException e) {
      LOG.warn(
          "cannot tell the other nodes that the settings of {} changed ({}); they see it when they"
              + " next load them",
          scopeId,
          Redis.describe(e));
    }
  }

  private void changedElsewhere(String message) {
    int cut = message.indexOf('\n');
    if (cut < 0 || message.substring(0, cut).equals(node)) {
      return;
    }
    String scopeId = message.substring(cut + 1);
    reloading.set(true);
    try {
      settings.reload(scopeId);
    } catch (RuntimeException e) {
      LOG.warn("cannot reload the settings of {} changed on another node", scopeId, e);
    } finally {
      reloading.set(false);
    }
  }
}
