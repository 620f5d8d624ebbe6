package org.imaginebot.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.config.ConfigException;
import org.junit.jupiter.api.Test;

final class CacheConfigTest {

  private static final Path APPLICATION_YAML = Path.of("config/application.yaml");

  @Test
  void load_realApplicationYaml_hasTheDocumentedDefaults() {
    CacheConfig cache = ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of()).cache();

    assertThat(cache)
        .isEqualTo(
            new CacheConfig(64L << 20, Path.of("data/cache"), 1L << 30, Duration.ofDays(7), true));
  }

  @Test
  void load_ttlFromEnvironment_isAnIsoDuration() {
    CacheConfig cache =
        ConfigLoader.load(APPLICATION_YAML, Map.of("IMAGINE_CACHE_TTL", "PT12H"), Map.of()).cache();

    assertThat(cache.ttl()).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void load_seedFromPromptFromEnvironment_turnsDerivedSeedsOff() {
    CacheConfig cache =
        ConfigLoader.load(
                APPLICATION_YAML, Map.of("IMAGINE_CACHE_SEED_FROM_PROMPT", "false"), Map.of())
            .cache();

    assertThat(cache.seedFromPrompt()).isFalse();
  }

  @Test
  void load_badTtl_namesTheKeyAndTheFormat() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () -> ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("cache.ttl", "7 days")))
        .withMessage(
            "cache.ttl must be an ISO-8601 duration such as P7D or PT12H, got '7 days'"
                + " (from --set cache.ttl)");
  }

  @Test
  void load_negativeMemory_namesTheKey() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("cache.memoryMaxBytes", "-1")))
        .withMessage(
            "cache.memoryMaxBytes must be at least 0, got -1 (from --set cache.memoryMaxBytes)");
  }

  @Test
  void new_invalidValues_areRejectedWithTheKey() {
    Path dir = Path.of("data/cache");
    Duration day = Duration.ofDays(1);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CacheConfig(-1, dir, 0, day, true))
        .withMessage("cache.memoryMaxBytes must be at least 0, got -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CacheConfig(0, dir, -5, day, true))
        .withMessage("cache.diskMaxBytes must be at least 0, got -5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CacheConfig(0, Path.of(""), 0, day, true))
        .withMessage("cache.diskDir must be a path, got ''");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CacheConfig(0, dir, 0, Duration.ZERO, true))
        .withMessageStartingWith("cache.ttl must be a duration above 0");
  }
}
