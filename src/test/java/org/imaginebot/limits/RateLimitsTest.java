package org.imaginebot.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.db.Database;
import org.imaginebot.settings.LiveSettings;
import org.imaginebot.settings.ScopeSettings;
import org.imaginebot.settings.SettingsStore;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RateLimitsTest {

  private static final String GUILD = "guild-1";
  private static final String MOD = "mod-1";

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private Database database;
  private LiveSettings settings;
  private RateLimits limits;

  @BeforeEach
  void open() {
    database = Database.open("jdbc:h2:file:" + dir.resolve("db"), 2, Duration.ofSeconds(5));
    settings =
        new LiveSettings(
            defaults(5, 100), SettingsStore.jdbc(database.dataSource()), clock, Set.of());
    limits = new RateLimits(settings, clock::nanoTime);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void tryAcquire_overTheUserLimit_refusesUntilTheMinuteEnds() {
    takeAll("alice", 5);
    clock.advance(Duration.ofSeconds(20));

    Refusal refusal = limits.tryAcquire(GUILD, "alice").orElseThrow();

    assertThat(refusal.kind()).isEqualTo(RefusalKind.USER_RATE_LIMITED);
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(40));
    assertThat(refusal.message())
        .isEqualTo("You can make 5 images per minute on this server; try again in 40 s.");
    assertThat(limits.tryAcquire(GUILD, "bob")).as("another user's own minute").isEmpty();

    clock.advance(Duration.ofSeconds(40));
    assertThat(limits.tryAcquire(GUILD, "alice")).isEmpty();
  }

  @Test
  void tryAcquire_refusedByTheServerLimit_costsTheUserNothing() {
    settings.set(GUILD, "scopeRequestsPerMinute", "1", MOD);
    settings.set(GUILD, "requestsPerMinute", "2", MOD);
    assertThat(limits.tryAcquire(GUILD, "alice")).isEmpty();

    for (int i = 0; i < 3; i++) {
      assertThat(limits.tryAcquire(GUILD, "bob"))
          .get()
          .extracting(Refusal::kind)
          .as("refusal %d", i)
          .isEqualTo(RefusalKind.SCOPE_RATE_LIMITED);
    }
    clock.advance(Duration.ofMinutes(1));

    assertThat(limits.tryAcquire(GUILD, "bob")).as("the guild's new minute").isEmpty();
    settings.set(GUILD, "scopeRequestsPerMinute", "10", MOD);
    assertThat(limits.tryAcquire(GUILD, "bob")).as("bob's two permits were never spent").isEmpty();
    assertThat(limits.tryAcquire(GUILD, "bob"))
        .get()
        .extracting(Refusal::kind)
        .isEqualTo(RefusalKind.USER_RATE_LIMITED);
  }

  @Test
  void tryAcquire_refusedByTheUserLimit_costsTheServerNothing() {
    settings.set(GUILD, "scopeRequestsPerMinute", "6", MOD);
    takeAll("alice", 5);
    for (int i = 0; i < 10; i++) {
      assertThat(limits.tryAcquire(GUILD, "alice")).isPresent();
    }

    assertThat(limits.tryAcquire(GUILD, "bob")).as("the guild's sixth permit").isEmpty();
    assertThat(limits.tryAcquire(GUILD, "carol"))
        .get()
        .extracting(Refusal::kind)
        .isEqualTo(RefusalKind.SCOPE_RATE_LIMITED);
  }

  @Test
  void anotherSettingChanged_keepsEveryonesCount() {
    takeAll("alice", 5);

    settings.set(GUILD, "maxSteps", "300", MOD);
    settings.set(GUILD, "gpuConcurrency", "2", MOD);

    assertThat(limits.tryAcquire(GUILD, "alice")).as("no fresh minute").isPresent();
  }

  @Test
  void limitLowered_appliesAtOnce_withoutFreshPermits() {
    takeAll("alice", 3);
    clock.advance(Duration.ofSeconds(15));

    settings.set(GUILD, "requestsPerMinute", "2", MOD);

    Refusal refusal = limits.tryAcquire(GUILD, "alice").orElseThrow();
    assertThat(refusal.kind()).isEqualTo(RefusalKind.USER_RATE_LIMITED);
    assertThat(refusal.retryAfter())
        .as("until alice's minute ends")
        .isEqualTo(Duration.ofSeconds(45));
    clock.advance(Duration.ofSeconds(45));
    takeAll("alice", 2);
    assertThat(limits.tryAcquire(GUILD, "alice")).isPresent();
  }

  @Test
  void limitRaised_grantsTheDifference() {
    takeAll("alice", 5);

    settings.set(GUILD, "requestsPerMinute", "8", MOD);

    takeAll("alice", 3);
    assertThat(limits.tryAcquire(GUILD, "alice")).isPresent();
  }

  @Test
  void serverLimitLowered_appliesAtOnce() {
    takeAll("alice", 4);

    settings.set(GUILD, "scopeRequestsPerMinute", "4", MOD);

    assertThat(limits.tryAcquire(GUILD, "bob"))
        .get()
        .extracting(Refusal::kind)
        .isEqualTo(RefusalKind.SCOPE_RATE_LIMITED);
  }

  @Test
  void giveBack_afterALaterRefusal_returnsBothPermits() {
    settings.set(GUILD, "scopeRequestsPerMinute", "5", MOD);
    takeAll("alice", 5);

    limits.giveBack(GUILD, "alice");

    assertThat(limits.tryAcquire(GUILD, "alice")).isEmpty();
    assertThat(limits.tryAcquire(GUILD, "alice")).isPresent();
  }

  @Test
  void giveBack_afterTheMinuteEnded_givesNothingExtra() {
    takeAll("alice", 5);
    clock.advance(Duration.ofMinutes(1));

    limits.giveBack(GUILD, "alice");

    takeAll("alice", 5);
    assertThat(limits.tryAcquire(GUILD, "alice")).isPresent();
  }

  @Test
  void otherServers_countApart() {
    takeAll("alice", 5);

    assertThat(limits.tryAcquire("guild-2", "alice")).isEmpty();
  }

  @Test
  void concurrentRequests_admitExactlyTheServerLimit() throws Exception {
    settings.set(GUILD, "scopeRequestsPerMinute", "50", MOD);
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String user = "user-" + t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    Optional<Refusal> refusal = limits.tryAcquire(GUILD, user + "-" + (i % 4));
                    if (refusal.isEmpty()) {
                      admitted.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(admitted).hasValue(50);
  }

  private void takeAll(String user, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(limits.tryAcquire(GUILD, user)).as("%s's request %d", user, i + 1).isEmpty();
    }
  }

  private static ScopeSettings defaults(int perUser, int perScope) {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("maxQueuedPerUser", "3");
    texts.put("requestsPerMinute", Integer.toString(perUser));
    texts.put("scopeRequestsPerMinute", Integer.toString(perScope));
    texts.put("maxSteps", "500");
    texts.put("maxSize", "512");
    texts.put("strategies", "*");
    texts.put("models", "*");
    texts.put("bannedWords", "none");
    texts.put("channels", "*");
    texts.put("gpuConcurrency", "1");
    texts.put("dailyImagesPerUser", "0");
    return ScopeSettings.fromValues(texts);
  }
}
