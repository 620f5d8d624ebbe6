package org.imaginebot.bot;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imaginebot.app.AppConfig;
import org.imaginebot.app.BotApplication;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.app.Role;
import org.imaginebot.engine.Engine;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/**
 * A {@link BotApplication} on the bundled config, with its database and cache in a test's
 * directory.
 */
final class CoreFixture {

  static final Requester ALICE = new Requester("alice", "guild-1", "chan-1", "discord");
  static final Requester BOB = new Requester("bob", "guild-1", "chan-1", "discord");
  static final Requester CAROL_OTHER_GUILD = new Requester("carol", "guild-2", "chan-9", "discord");
  static final Actor MODERATOR = new Actor("mod-1", true);

  private final Path dir;
  private final Map<String, String> overrides = new HashMap<>();

  /** The metrics of the core started last. */
  BotMetrics metrics;

  CoreFixture(Path dir) {
    this.dir = dir;
    overrides.put("queue.database", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    overrides.put("cache.diskDir", dir.resolve("cache").toString());
  }

  CoreFixture set(String key, String value) {
    overrides.put(key, value);
    return this;
  }

  AppConfig config() {
    return ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), overrides);
  }

  BotApplication start(Engine engine) {
    return open(engine).startWorkers();
  }

  /** The core with its workers not started yet. */
  BotApplication open(Engine engine) {
    return open(engine, Role.ALL);
  }

  /** One node of a cluster (set queue.backend or redis.* first), its workers not started yet. */
  BotApplication open(Engine engine, Role role) {
    AppConfig config = config();
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    metrics = new BotMetrics();
    return BotApplication.open(config, manifest, engine, metrics, Clock.systemUTC(), role);
  }

  static GenerationRequest request(String prompt, int steps, long seed) {
    return new GenerationRequest(
        List.of(new WeightedPrompt(prompt, 1.0)), "tiny", Strategy.ADAM, steps, seed);
  }

  static GenerationRequest randomSeed(String prompt, int steps, long seed) {
    return request(prompt, steps, seed).withSeed(seed, false);
  }
}
