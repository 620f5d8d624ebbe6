package org.imaginebot.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.imaginebot.db.Database;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LiveSettingsTest {

  private static final Set<String> MODELS = Set.of("biggan-deep-256", "BigGAN-Deep-512");

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock(Instant.parse("2024-05-01T10:00:00Z"));
  private final Map<SettingsStore, Database> opened = new HashMap<>();

  @AfterEach
  void closeStores() {
    opened.values().forEach(Database::close);
  }

  private SettingsStore openStore() {
    Database database =
        Database.open("jdbc:h2:file:" + dir.resolve("db"), 2, Duration.ofMillis(500));
    SettingsStore store = SettingsStore.jdbc(database.dataSource());
    opened.put(store, database);
    return store;
  }

  /** Closes the store's database under it, as an outage would. */
  private void closeDatabase(SettingsStore store) {
    opened.get(store).close();
  }

  private LiveSettings live(SettingsStore store) {
    return new LiveSettings(Defaults.settings(), store, clock, MODELS);
  }

  /** A new service over the same database, as after a restart of the bot. */
  private LiveSettings restart(SettingsStore old) {
    closeDatabase(old);
    return live(openStore());
  }

  @Test
  void get_unchangedScope_givesDefaults() {
    LiveSettings settings = live(openStore());

    assertThat(settings.get("guild-1")).isEqualTo(Defaults.settings());
    assertThat(settings.defaults()).isEqualTo(Defaults.settings());
  }

  @Test
  void set_appliesAtOnceAndOnlyToThatScope() {
    LiveSettings settings = live(openStore());

    ScopeSettings changed = settings.set("guild-1", "maxsteps", "300", "mod-1");

    assertThat(changed.maxSteps()).isEqualTo(300);
    assertThat(settings.get("guild-1")).isSameAs(changed);
    assertThat(settings.get("guild-2")).isEqualTo(Defaults.settings());
  }

  @Test
  void set_survivesRestart() {
    SettingsStore store = openStore();
    LiveSettings before = live(store);
    before.set("guild-1", "maxSteps", "300", "mod-1");
    before.set("guild-1", "bannedWords", "Cat, red panda", "mod-1");
    before.set("T-workspace", "strategies", "search", "mod-2");

    LiveSettings after = restart(store);

    assertThat(after.get("guild-1")).isEqualTo(before.get("guild-1"));
    assertThat(after.get("guild-1").bannedWordIn("a RED panda")).contains("red panda");
    assertThat(after.get("T-workspace").strategies()).containsExactly("search");
    assertThat(after.get("guild-2")).isEqualTo(Defaults.settings());
  }

  @Test
  void reset_goesBackToDefaultAcrossRestart() {
    SettingsStore store = openStore();
    LiveSettings before = live(store);
    before.set("guild-1", "maxSteps", "300", "mod-1");
    before.set("guild-1", "gpuConcurrency", "4", "mod-1");

    ScopeSettings reset = before.reset("guild-1", "maxSteps", "mod-2");

    assertThat(reset.maxSteps()).isEqualTo(500);
    assertThat(reset.gpuConcurrency()).isEqualTo(4);
    LiveSettings after = restart(store);
    assertThat(after.get("guild-1").maxSteps()).isEqualTo(500);
    assertThat(after.get("guild-1").gpuConcurrency()).isEqualTo(4);
    assertThat(after.audit("guild-1", 1))
        .containsExactly(
            new AuditEntry("guild-1", "mod-2", Setting.MAX_STEPS, "300", "500", clock.instant()));
  }

  @Test
  void audit_recordsActorOldNewAndClockTimeNewestFirst() {
    LiveSettings settings = live(openStore());
    Instant t0 = clock.instant();
    settings.set("guild-1", "maxSteps", "300", "mod-1");
    clock.advance(Duration.ofMinutes(5));
    settings.set("guild-1", "maxSteps", "250", "mod-2");
    clock.advance(Duration.ofMinutes(5));
    settings.set("guild-1", "models", "BIGGAN-deep-256", "mod-1");

    assertThat(settings.audit("guild-1", 10))
        .containsExactly(
            new AuditEntry(
                "guild-1", "mod-1", Setting.MODELS, "*", "biggan-deep-256", t0.plusSeconds(600)),
            new AuditEntry(
                "guild-1", "mod-2", Setting.MAX_STEPS, "300", "250", t0.plusSeconds(300)),
            new AuditEntry("guild-1", "mod-1", Setting.MAX_STEPS, "500", "300", t0));
    assertThat(settings.audit("guild-1", 2)).hasSize(2);
    assertThat(settings.audit("guild-2", 10)).isEmpty();
  }

  @Test
  void audit_clockWithNanos_keptToMicroseconds() {
    clock.advance(Duration.ofNanos(123_456_789));
    LiveSettings settings = live(openStore());

    settings.set("guild-1", "maxSteps", "300", "mod-1");

    assertThat(settings.audit("guild-1", 1).get(0).at())
        .isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
  }

  @Test
  void set_badValue_storesAndAuditsNothing() {
    SettingsStore store = openStore();
    LiveSettings settings = live(store);
    List<ScopeSettings> told = new ArrayList<>();
    settings.addListener((scope, s) -> told.add(s));

    assertThatThrownBy(() -> settings.set("guild-1", "maxSteps", "abc", "mod-1"))
        .isInstanceOf(SettingException.class)
        .hasMessage("maxSteps must be a whole number from 1 to 100000, got 'abc'");
    assertThatThrownBy(() -> settings.set("guild-1", "maxStep", "300", "mod-1"))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("did you mean 'maxSteps'?");

    assertThat(settings.get("guild-1")).isEqualTo(Defaults.settings());
    assertThat(store.overrides("guild-1")).isEmpty();
    assertThat(settings.audit("guild-1", 10)).isEmpty();
    assertThat(told).isEmpty();
  }

  @Test
  void set_unknownModel_refusedListingKnown() {
    SettingsStore store = openStore();
    LiveSettings settings = live(store);

    assertThatThrownBy(() -> settings.set("guild-1", "models", "biggan-deep-256, dalle", "mod-1"))
        .isInstanceOf(SettingException.class)
        .hasMessage("unknown model 'dalle'; known: biggan-deep-256, biggan-deep-512");
    assertThat(store.overrides("guild-1")).isEmpty();
    assertThat(settings.set("guild-1", "models", "BigGAN-Deep-512", "mod-1").models())
        .containsExactly("biggan-deep-512");
    assertThat(settings.set("guild-1", "models", "*", "mod-1").allowsModel("anything")).isTrue();
  }

  @Test
  void set_noKnownModels_acceptsAnyModelId() {
    LiveSettings settings = new LiveSettings(Defaults.settings(), openStore(), clock, Set.of());

    assertThat(settings.set("guild-1", "models", "whatever-1", "mod-1").models())
        .containsExactly("whatever-1");
  }

  @Test
  void set_tellsListenersNewSettings() {
    LiveSettings settings = live(openStore());
    List<String> told = new ArrayList<>();
    settings.addListener((scope, s) -> told.add(scope + ":" + s.gpuConcurrency()));

    settings.set("guild-1", "gpuConcurrency", "8", "mod-1");
    settings.reset("guild-1", "gpuConcurrency", "mod-1");

    assertThat(told).containsExactly("guild-1:8", "guild-1:2");
  }

  @Test
  void set_throwingListener_doesNotStopChangeOrOtherListeners() {
    SettingsStore store = openStore();
    LiveSettings settings = live(store);
    List<ScopeSettings> told = new ArrayList<>();
    settings.addListener(
        (scope, s) -> {
          throw new IllegalStateException("limiter broke");
        });
    settings.addListener((scope, s) -> told.add(s));

    ScopeSettings changed = settings.set("guild-1", "maxSize", "1024", "mod-1");

    assertThat(changed.maxSize()).isEqualTo(1024);
    assertThat(told).containsExactly(changed);
    assertThat(settings.get("guild-1").maxSize()).isEqualTo(1024);
    assertThat(store.overrides("guild-1")).containsEntry(Setting.MAX_SIZE, "1024");
  }

  @Test
  void set_storeFails_changesNothingInMemory() {
    SettingsStore store = openStore();
    LiveSettings settings = live(store);
    settings.get("guild-1");
    closeDatabase(store);

    assertThatThrownBy(() -> settings.set("guild-1", "maxSteps", "300", "mod-1"))
        .isInstanceOf(SettingsStoreException.class);
    assertThat(settings.get("guild-1").maxSteps()).isEqualTo(500);
  }

  @Test
  void get_storedValueNoLongerValid_usesDefaultForIt() {
    SettingsStore store = openStore();
    store.write(
        new AuditEntry("guild-1", "mod-1", Setting.MAX_STEPS, "500", "999999", clock.instant()),
        false);
    store.write(
        new AuditEntry("guild-1", "mod-1", Setting.MAX_SIZE, "512", "256", clock.instant()), false);

    ScopeSettings s = live(store).get("guild-1");

    assertThat(s.maxSteps()).isEqualTo(500);
    assertThat(s.maxSize()).isEqualTo(256);
  }

  @Test
  void scopeAndActor_mustNotBeBlank() {
    LiveSettings settings = live(openStore());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings.get(" "))
        .withMessage("scopeId must not be blank, got ' '");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings.set("guild-1", "maxSteps", "3", ""))
        .withMessage("actorId must not be blank, got ''");
  }

  @Test
  void set_concurrentlyToOneScope_losesNoChange() throws Exception {
    LiveSettings settings = live(openStore());
    List<ScopeSettings> told = new CopyOnWriteArrayList<>();
    settings.addListener((scope, s) -> told.add(s));
    String[][] changes = {
      {"maxQueuedPerUser", "7"},
      {"requestsPerMinute", "42"},
      {"scopeRequestsPerMinute", "900"},
      {"maxSteps", "1234"},
      {"maxSize", "768"},
      {"strategies", "search"},
      {"models", "biggan-deep-256"},
      {"bannedWords", "cat"},
      {"channels", "C1,C2"},
      {"gpuConcurrency", "5"},
      {"dailyImagesPerUser", "20"}
    };
    ExecutorService pool = Executors.newFixedThreadPool(changes.length);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (String[] change : changes) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  return settings.set("guild-1", change[0], change[1], "mod-" + change[0]);
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    ScopeSettings expected = Defaults.settings();
    for (String[] change : changes) {
      expected = expected.with(Setting.byId(change[0]), change[1]);
    }
    assertThat(settings.get("guild-1")).isEqualTo(expected);
    assertThat(told).hasSize(changes.length).last().isEqualTo(expected);
    assertThat(settings.audit("guild-1", 100))
        .hasSize(changes.length)
        .extracting(AuditEntry::setting)
        .containsExactlyInAnyOrder(Setting.values());
    assertThat(restart(opened.keySet().iterator().next()).get("guild-1")).isEqualTo(expected);
  }
}
