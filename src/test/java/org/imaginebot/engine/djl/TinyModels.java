package org.imaginebot.engine.djl;

import java.nio.file.Path;
import java.util.Map;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.models.ModelManifest;

/** The project's real configuration and the committed tiny models, for engine tests. */
final class TinyModels {

  private TinyModels() {}

  static EngineConfig config(Map<String, String> overrides) {
    return ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), overrides).engine();
  }

  static ModelManifest manifest(EngineConfig config) {
    return ModelManifest.load(config.manifest(), config.modelsDir());
  }

  static DjlEngine engine(Map<String, String> overrides) {
    EngineConfig config = config(overrides);
    return new DjlEngine(config, manifest(config));
  }
}
