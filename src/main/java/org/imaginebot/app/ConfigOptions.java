package org.imaginebot.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config} and {@code --set} options every command that reads configuration shares. */
final class ConfigOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "config/application.yaml",
      description = "Configuration file (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a configuration key, e.g. --set engine.cutouts=16; repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * Loads the configuration; {@code extra} overrides (from a command's own flags) win over --set.
   */
  AppConfig load(Map<String, String> env, Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    all.putAll(extra);
    return ConfigLoader.load(config, env, all);
  }
}
