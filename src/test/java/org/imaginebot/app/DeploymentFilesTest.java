package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imaginebot.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker daemon), so its promises are read: every node of
 * the cluster is configured by variables the bot knows, with the role and settings it needs.
 */
class DeploymentFilesTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws IOException {
    try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(reader); // resolves the <<: merge keys
      return (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  @SuppressWarnings("unchecked")
  private static AppConfig config(Map<String, Object> service) {
    Map<String, String> env = new HashMap<>();
    ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
        .forEach(
            (name, value) ->
                env.put(name, String.valueOf(value).replace("${POSTGRES_PASSWORD}", "pw")));
    return ConfigLoader.load(Path.of("config/application.yaml"), env, Map.of());
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyNodeOfTheComposeFileIsAClusterNodeWithItsOwnName() throws IOException {
    Map<String, Map<String, Object>> services = services();
    assertThat(services).containsKeys("postgres", "redis", "bot", "worker-1", "worker-2");
    try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
      for (String name : List.of("bot", "worker-1", "worker-2")) {
        Map<String, Object> service = services.get(name);
        List<String> command = (List<String>) service.get("command");
        assertThat(command).as(name).startsWith("serve", "--role");
        Role role = Role.parse(command.get(2));
        assertThat(role).isEqualTo(name.equals("bot") ? Role.BOT : Role.WORKER);
        AppConfig config = config(service);
        assertThat(config.queue().redis()).as(name).isTrue();
        assertThat(config.redis().url()).isEqualTo("redis://redis:6379/0");
        assertThat(config.redis().node()).isEqualTo(name.equals("bot") ? "bot-1" : name);
        assertThat(config.queue().database()).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat((List<String>) service.get("volumes")).contains("cache:/app/data/cache");
        assertThat(((Map<String, Object>) service.get("depends_on")).keySet())
            .containsExactlyInAnyOrder("postgres", "redis");
      }
      assertThat(log.all()).noneMatch(line -> line.contains("names no configuration key"));
    }
    assertThat(services.get("worker-1").toString()).contains("driver=nvidia", "device_ids=[0]");
    assertThat(services.get("worker-2").toString()).contains("device_ids=[1]");
  }

  @Test
  void theImagesCheckHealthAndLetTheSharedCacheBeWritten() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile.split("RUN mkdir -p data/cache && chown -R imagine data", -1))
        .as("both runtime stages (cuda and cpu)")
        .hasSize(3);
    assertThat(dockerfile).contains("HEALTHCHECK").contains("/health");
    assertThat(dockerfile.split("ENV MALLOC_ARENA_MAX=2", -1))
        .as("both runtime stages keep the resident memory flat (bench soak)")
        .hasSize(3);
  }
}
