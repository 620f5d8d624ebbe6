package org.imaginebot.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imaginebot.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ModelManifestTest {

  private static final Path MODELS_YAML = Path.of("config/models.yaml");
  private static final Path MODELS_DIR = Path.of("models");
  private static final String SHA = "0a".repeat(32);

  private static final String CLIP =
      """
        - id: clip
          kind: clip
          licence: MIT
          source: test
          files:
            image: { path: c/image.pt, sha256: %s }
            text: { path: c/text.pt, sha256: %s }
      """
          .formatted(SHA, SHA);

  @TempDir Path dir;

  @Test
  void load_realManifest_hasTheTinyModels() {
    ModelManifest manifest = ModelManifest.load(MODELS_YAML, MODELS_DIR);

    assertThat(manifest.all())
        .extracting(ModelSpec::id)
        .containsExactly("tiny-clip", "tiny", "tiny-stylegan", "tiny-clip-judge");
    ModelSpec tiny = manifest.require("tiny");
    assertThat(tiny.kind()).isEqualTo(ModelKind.BIGGAN);
    assertThat(tiny.clip()).isEqualTo("tiny-clip");
    assertThat(tiny.imageSize()).isEqualTo(64);
    assertThat(tiny.numLatents()).isEqualTo(5);
    assertThat(tiny.zDim()).isEqualTo(128);
    assertThat(tiny.numClasses()).isEqualTo(1000);
    assertThat(tiny.file("generator").path()).isEqualTo(Path.of("models/tiny/biggan.pt"));
    assertThat(manifest.require("tiny-clip").files()).containsOnlyKeys("image", "text");
    assertThat(manifest.require("tiny-stylegan").file("synthesis").path())
        .isEqualTo(Path.of("models/tiny/stylegan-synthesis.pt"));
  }

  @Test
  void load_filePaths_areResolvedAgainstModelsDir() {
    ModelManifest manifest = ModelManifest.load(MODELS_YAML, Path.of("/opt/models"));

    assertThat(manifest.require("tiny-clip").file("text").path())
        .isEqualTo(Path.of("/opt/models/tiny/clip-text.pt"));
  }

  @Test
  void require_unknownModel_listsTheGenerators() {
    ModelManifest manifest = ModelManifest.load(MODELS_YAML, MODELS_DIR);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> manifest.require("x"))
        .withMessage("unknown model 'x'; known models: tiny, tiny-stylegan");
  }

  @Test
  void file_unknownRole_namesModelAndRole() {
    ModelSpec tiny = ModelManifest.load(MODELS_YAML, MODELS_DIR).require("tiny");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> tiny.file("mapping"))
        .withMessage(
            "model 'tiny' (biggan) has no file 'mapping'; its files: generator, discriminator");
  }

  @Test
  void load_generatorNamingAMissingClipModel_listsTheClipModels() throws IOException {
    Path file = manifest(CLIP + biggan("clip: nope", "numLatents: 5"));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessage(
            "model manifest "
                + file
                + ": model 'gen' (biggan) names clip model 'nope',"
                + " which is not in the manifest; clip models: clip");
  }

  @Test
  void load_generatorNamingAGeneratorAsClip_isAnError() throws IOException {
    Path file = manifest(CLIP + biggan("clip: gen", "numLatents: 5"));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessageContaining(
            "model 'gen' (biggan) names clip model 'gen', which is a biggan model; clip models: clip");
  }

  @Test
  void load_bigganWithoutNumLatents_namesTheField() throws IOException {
    Path file = manifest(CLIP + biggan("clip: clip", ""));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessage(
            "model manifest "
                + file
                + ": models[1]: model 'gen' (biggan) needs numLatents between 1 and 64, got 0");
  }

  @Test
  void load_missingFileRole_namesTheRoles() throws IOException {
    Path file = manifest(CLIP.replace("text: { path: c/text.pt, sha256: " + SHA + " }", ""));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessageEndingWith("model 'clip' (clip) needs files image, text; text is missing");
  }

  @Test
  void load_unknownKey_namesItAndTheModel() throws IOException {
    Path file = manifest(CLIP + biggan("clip: clip", "numLatent: 5"));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessageStartingWith(
            "model manifest "
                + file
                + ": unknown key 'models[1].numLatent' (model 'gen');"
                + " known keys: id, kind, clip, imageSize, numLatents");
  }

  @Test
  void load_badType_namesKeyAndValue() throws IOException {
    Path file = manifest(CLIP + biggan("clip: clip", "numLatents: many"));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessage(
            "model manifest "
                + file
                + ": models[1].numLatents (model 'gen') must be an integer, got 'many'");
  }

  @Test
  void load_unknownKind_listsTheKinds() throws IOException {
    Path file = manifest(CLIP.replace("kind: clip", "kind: vqgan"));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessageEndingWith(
            "models[0]: kind must be one of clip, biggan, stylegan, got 'vqgan'");
  }

  @Test
  void load_badSha256_namesModelAndRole() throws IOException {
    Path file = manifest(CLIP.replaceFirst(SHA, "abc"));

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessageEndingWith("model 'clip' file image needs sha256 of 64 hex digits, got 'abc'");
  }

  @Test
  void load_duplicateId_isAnError() throws IOException {
    Path file = manifest(CLIP + CLIP);

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(file, MODELS_DIR))
        .withMessageEndingWith("model id 'clip' appears twice");
  }

  @Test
  void load_missingManifest_namesThePath() {
    Path missing = dir.resolve("models.yaml");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ModelManifest.load(missing, MODELS_DIR))
        .withMessageStartingWith("model manifest " + missing + " does not exist");
  }

  private static String biggan(String clipLine, String latentsLine) {
    return """
          - id: gen
            kind: biggan
            %s
            imageSize: 64
            %s
            zDim: 128
            numClasses: 1000
            licence: MIT
            source: test
            files:
              generator: { path: g.pt, sha256: %s }
        """
        .formatted(clipLine, latentsLine, SHA);
  }

  private Path manifest(String entries) throws IOException {
    Path file = dir.resolve("models.yaml");
    Files.writeString(file, "models:\n" + entries);
    return file;
  }
}
