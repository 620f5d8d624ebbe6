package org.imaginebot.settings;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings each scope runs with right now; what adapters and limiters ask on every request.
 *
 * <p>A scope's settings are the configured defaults with the moderators' stored changes applied,
 * read from the {@link SettingsStore} once and then served from memory. {@link #set} and {@link
 * #reset} validate first (a bad setting or value stores and audits nothing), then store the change
 * with its audit row, update memory and tell the {@link SettingsListener}s. Changes are serialized,
 * so concurrent ones lose nothing, and listeners see them in order. Audit times come from the given
 * clock, truncated to microseconds (what the database keeps).
 */
public final class LiveSettings {

  private static final Logger LOG = LoggerFactory.getLogger(LiveSettings.class);
  private static final int MAX_ID_LENGTH = 255; // the store's scope and actor columns

  private final ScopeSettings defaults;
  private final SettingsStore store;
  private final Clock clock;
  private final SortedSet<String> knownModels;
  private final Map<String, ScopeSettings> cache = new ConcurrentHashMap<>();
  private final List<SettingsListener> listeners = new CopyOnWriteArrayList<>();
  private final Object writeLock = new Object();

  /**
   * Settings over {@code store}, which the caller keeps open while this is used and closes after.
   *
   * @param defaults what every scope starts with
   * @param knownModels model ids the {@code models} setting may name, ignoring case; empty to
   *     accept any id
   */
  public LiveSettings(
      ScopeSettings defaults, SettingsStore store, Clock clock, Set<String> knownModels) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    SortedSet<String> known = new TreeSet<>();
    for (String model : knownModels) {
      known.add(model.strip().toLowerCase(Locale.ROOT));
    }
    this.knownModels = Collections.unmodifiableSortedSet(known);
  }

  /** The settings every scope starts with. */
  public ScopeSettings defaults() {
    return defaults;
  }

  /** The scope's settings now; reads the store only the first time a scope is asked for. */
  public ScopeSettings get(String scopeId) {
    checkId("scopeId", scopeId);
    ScopeSettings cached = cache.get(scopeId);
    if (cached != null) {
      return cached;
    }
    // Loaded outside the map's lock; a change stored meanwhile has put its result first and wins.
    ScopeSettings loaded = load(scopeId);
    ScopeSettings raced = cache.putIfAbsent(scopeId, loaded);
    return raced != null ? raced : loaded;
  }

  /**
   * Changes one setting of a scope, stores and audits the change, and tells the listeners.
   *
   * @param settingId what the moderator typed, e.g. {@code maxSteps} (case ignored)
   * @param value what the moderator typed, e.g. {@code 300}
   * @param actorId the moderator's user id, kept in the audit log
   * @return the scope's settings after the change
   * @throws SettingException for an unknown setting or a bad value; then nothing is stored
   * @throws SettingsStoreException when the store fails; then nothing changes
   */
  public ScopeSettings set(String scopeId, String settingId, String value, String actorId) {
    checkId("scopeId", scopeId);
    checkId("actorId", actorId);
    Setting setting = Setting.byId(settingId);
    synchronized (writeLock) {
      ScopeSettings current = get(scopeId);
      ScopeSettings next = current.with(setting, value);
      if (setting == Setting.MODELS) {
        checkKnown(next.models());
      }
      return apply(scopeId, actorId, setting, current, next, false);
    }
  }

  /**
   * Puts one setting of a scope back to its default, audited like a change.
   *
   * @return the scope's settings after the reset
   * @throws SettingException for an unknown setting
   */
  public ScopeSettings reset(String scopeId, String settingId, String actorId) {
    checkId("scopeId", scopeId);
    checkId("actorId", actorId);
    Setting setting = Setting.byId(settingId);
    synchronized (writeLock) {
      ScopeSettings current = get(scopeId);
      ScopeSettings next = current.with(setting, defaults.value(setting));
      return apply(scopeId, actorId, setting, current, next, true);
    }
  }

  /**
   * Reads a scope's settings again from the store, because another node changed them, and tells the
   * listeners.
   *
   * @return the scope's settings now
   * @throws SettingsStoreException when the store fails; then the old settings stay
   */
  public ScopeSettings reload(String scopeId) {
    checkId("scopeId", scopeId);
    ScopeSettings loaded;
    synchronized (writeLock) {
      loaded = load(scopeId);
      cache.put(scopeId, loaded);
    }
    tell(scopeId, loaded);
    return loaded;
  }

  /** The scopes whose moderators changed {@code setting} (from the store). */
  public List<String> scopesOverriding(Setting setting) {
    return store.scopesOverriding(setting);
  }

  /** The scope's most recent changes, newest first, at most {@code limit} of them. */
  public List<AuditEntry> audit(String scopeId, int limit) {
    checkId("scopeId", scopeId);
    return store.audit(scopeId, limit);
  }

  /** Adds a listener told after every change from now on. */
  public void addListener(SettingsListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private ScopeSettings apply(
      String scopeId,
      String actorId,
      Setting setting,
      ScopeSettings current,
      ScopeSettings next,
      boolean reset) {
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    store.write(
        new AuditEntry(scopeId, actorId, setting, current.value(setting), next.value(setting), at),
        reset);
    cache.put(scopeId, next);
    tell(scopeId, next);
    return next;
  }

  private void tell(String scopeId, ScopeSettings next) {
    for (SettingsListener listener : listeners) {
      try {
        listener.changed(scopeId, next);
      } catch (RuntimeException e) {
        LOG.warn("settings listener {} failed for scope {}", listener, scopeId, e);
      }
    }
  }

  private ScopeSettings load(String scopeId) {
    ScopeSettings settings = defaults;
    for (Map.Entry<Setting, String> override : store.overrides(scopeId).entrySet()) {
      try {
        settings = settings.with(override.getKey(), override.getValue());
      } catch (SettingException e) {
        // e.g. a range tightened since the change was made: the default is safer than failing
        LOG.warn(
            "ignoring stored {} of scope {}, using the default: {}",
            override.getKey().id(),
            scopeId,
            e.getMessage());
      }
    }
    return settings;
  }

  private void checkKnown(Set<String> models) {
    if (knownModels.isEmpty()) {
      return;
    }
    for (String model : models) {
      if (!knownModels.contains(model)) {
        throw new SettingException(
            Setting.MODELS,
            "unknown model '" + model + "'; known: " + String.join(", ", knownModels));
      }
    }
  }

  private static void checkId(String name, String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, got '" + id + "'");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          name + " must be at most " + MAX_ID_LENGTH + " characters, got " + id.length());
    }
  }
}
