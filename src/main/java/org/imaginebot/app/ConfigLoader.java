package org.imaginebot.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.imaginebot.config.ConfigException;
import org.imaginebot.config.ConfigKeys;
import org.imaginebot.config.Yaml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@link AppConfig} from {@code config/application.yaml}, the environment and {@code --set}.
 *
 * <p>Later sources win: the YAML file, then environment variables {@code IMAGINE_} + the key in
 * upper snake case ({@code engine.maxSteps} -> {@code IMAGINE_ENGINE_MAX_STEPS}), then {@code --set
 * key=value}. Every key must end up set; unknown keys in the file or in {@code --set} are errors
 * (an unknown {@code IMAGINE_} variable is only logged). Every failure is a {@link ConfigException}
 * whose message names the key, the bad value and what is allowed.
 */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final ConfigKeys KEYS = ConfigKeys.of(AppConfig.class);

  private ConfigLoader() {}

  /**
   * Reads, overrides, binds and validates the configuration.
   *
   * @param yamlFile the YAML file; it must exist
   * @param env environment variables, usually {@code System.getenv()}
   * @param overrides {@code --set} pairs, key to value
   * @throws ConfigException when anything is missing, unknown or out of range
   */
  public static AppConfig load(
      Path yamlFile, Map<String, String> env, Map<String, String> overrides) {
    Objects.requireNonNull(yamlFile, "yamlFile");
    ObjectNode root = Yaml.readMapping(yamlFile, "config file");
    Map<String, String> origins = new HashMap<>();
    applyEnv(root, env, origins);
    applyOverrides(root, overrides, origins);
    Sources sources = new Sources(yamlFile, origins);
    check(root, ConfigKeys.ROOT, sources);
    try {
      return Yaml.MAPPER.treeToValue(root, AppConfig.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw translate(e, root, sources);
    }
  }

  private static void applyEnv(
      ObjectNode root, Map<String, String> env, Map<String, String> origins) {
    Map<String, String> keyByVariable = new HashMap<>();
    for (String key : KEYS.valueKeys()) {
      keyByVariable.put(ConfigKeys.envName(key), key);
    }
    for (String variable : new TreeSet<>(env.keySet())) {
      String key = keyByVariable.get(variable);
      if (key != null) {
        put(root, key, env.get(variable).strip());
        origins.put(key, variable);
      } else if (variable.startsWith("IMAGINE_")) {
        LOG.warn("environment variable {} names no configuration key; ignored", variable);
      }
    }
  }

  private static void applyOverrides(
      ObjectNode root, Map<String, String> overrides, Map<String, String> origins) {
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String key = e.getKey() == null ? "" : e.getKey().strip();
      if (!KEYS.isValue(key)) {
        throw new ConfigException(KEYS.unknown(key, "--set"));
      }
      put(root, key, e.getValue() == null ? "" : e.getValue().strip());
      origins.put(key, "--set " + key);
    }
  }

  private static void put(ObjectNode root, String key, String value) {
    ObjectNode node = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }

  /** Unknown, missing and non-scalar keys, found before binding so messages can name them. */
  private static void check(JsonNode node, String section, Sources sources) {
    for (var it = node.fieldNames(); it.hasNext(); ) {
      String key = ConfigKeys.join(section, it.next());
      if (!KEYS.isValue(key) && !KEYS.isSection(key)) {
        throw new ConfigException(KEYS.unknown(key, sources.file().toString()));
      }
    }
    for (String name : KEYS.children(section)) {
      String key = ConfigKeys.join(section, name);
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        throw new ConfigException(
            key
                + " is not set; add it to "
                + sources.file()
                + (KEYS.isValue(key) ? " or set " + ConfigKeys.envName(key) : ""));
      }
      boolean isSection = KEYS.isSection(key);
      if (isSection != value.isObject() || value.isArray()) {
        throw new ConfigException(
            key
                + " must be "
                + KEYS.expected(key)
                + ", got "
                + Yaml.describe(value)
                + sources.where(key));
      }
      if (isSection) {
        check(value, key, sources);
      }
    }
  }

  private static ConfigException translate(Exception e, JsonNode root, Sources sources) {
    IllegalArgumentException invalid = Yaml.invalidValue(e);
    if (invalid != null) {
      String message = Yaml.firstLine(invalid.getMessage());
      String key = KEYS.keyNamedBy(message);
      return new ConfigException(message + (key == null ? "" : sources.where(key)), e);
    }
    if (e instanceof JsonMappingException d) {
      String key = Yaml.pathOf(d);
      return new ConfigException(
          key
              + " must be "
              + KEYS.expected(key)
              + ", got "
              + Yaml.describe(Yaml.nodeAt(root, d))
              + sources.where(key),
          e);
    }
    return new ConfigException(
        "config file " + sources.file() + " cannot be bound: " + Yaml.firstLine(e.getMessage()), e);
  }

  /** Where each key's value came from, for the end of messages. */
  private record Sources(Path file, Map<String, String> origins) {

    String where(String key) {
      String origin = origins.get(key);
      return origin == null ? " (in " + file + ")" : " (from " + origin + ")";
    }
  }
}
