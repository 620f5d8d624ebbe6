package org.imaginebot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;

final class EngineFingerprintTest {

  private static EngineFingerprint tiny(Map<String, String> overrides) {
    EngineConfig config =
        ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), overrides).engine();
    return EngineFingerprint.of(
        config, ModelManifest.load(config.manifest(), config.modelsDir()), "tiny");
  }

  @Test
  void key_isTheCacheKeysEnginePart_asBeforeTheFingerprintWasARecord() {
    // The string the cache key hashed before; a change would orphan every cached image.
    assertThat(tiny(Map.of("engine.cutouts", "4")).key())
        .isEqualTo(
            "engine=1;cutouts=4;lr=0.07;truncation=1.0;styleTruncation=0.7;topK=15;files={"
                + "tiny-clip/image=9abe8eda320dc6292fab52074369386f4e39c4c27d374303e16b818edf415499,"
                + " tiny-clip/text=ebfe4c99fd692b7f75a100fa3ed308e6495d7565b73d9f2620ed773308d9e763,"
                + " tiny/discriminator=3028104b8926fb3a32f7d192ac3bc217d2778b3c224a6a220adbd45b06cb7709,"
                + " tiny/generator=9a72d918164898baf976f268736f8ca89da6b0b499acece92af74868dba690bb}");
  }

  @Test
  void settings_nameTheirConfigurationKeys() {
    assertThat(tiny(Map.of("engine.cutouts", "4")).settings())
        .containsEntry("engine.cutouts", "4")
        .containsEntry("engine.learningRate", "0.07")
        .containsKeys("engine.truncation", "engine.styleTruncation", "engine.searchTopK");
  }
}
