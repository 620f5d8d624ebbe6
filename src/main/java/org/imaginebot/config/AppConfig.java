package org.imaginebot.config;

import org.imaginebot.cache.CacheConfig;

/**
 * The whole application configuration, one record per section of {@code config/application.yaml}.
 *
 * <p>Built by {@link ConfigLoader#load}. A new section is a new record component here plus its
 * record: keys, environment variable names and error messages follow from the records.
 *
 * @param engine the {@code engine} section: models and image generation
 * @param cache the {@code cache} section: finished images kept in memory and on disk
 */
public record AppConfig(EngineConfig engine, CacheConfig cache) {

  public AppConfig {
    if (engine == null) {
      throw new ConfigException("engine must be set");
    }
    if (cache == null) {
      throw new ConfigException("cache must be set");
    }
  }
}
