package org.imaginebot.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ModelFilesTest {

  // sha256 of the bytes "hello\n"
  private static final String HELLO_SHA =
      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

  @TempDir Path dir;

  @Test
  void verify_realTinyFiles_pass() {
    ModelManifest manifest = ModelManifest.load(Path.of("config/models.yaml"), Path.of("models"));

    for (ModelSpec spec : manifest.all()) {
      for (ModelFile file : spec.files().values()) {
        assertThatCode(() -> ModelFiles.verify(file))
            .as(file.describe())
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  void verify_missingFile_saysHowToRegenerateIt() {
    ModelFile file =
        new ModelFile(
            "tiny",
            "generator",
            Path.of("models/tiny/missing.pt"),
            HELLO_SHA,
            null,
            "scripts/make_tiny_models.py");

    assertThatExceptionOfType(ModelFileException.class)
        .isThrownBy(() -> ModelFiles.verify(file))
        .withMessage(
            "model file models/tiny/missing.pt (model tiny, role generator) is missing;"
                + " regenerate it with scripts/make_tiny_models.py")
        .satisfies(e -> assertThat(e.file()).isEqualTo(file));
  }

  @Test
  void verify_missingFileWithUrl_alsoSuggestsFetch() {
    ModelFile file =
        new ModelFile(
            "big",
            "generator",
            dir.resolve("big.pt"),
            HELLO_SHA,
            "https://example.org/big.pt",
            "scripts/export");

    assertThatExceptionOfType(ModelFileException.class)
        .isThrownBy(() -> ModelFiles.verify(file))
        .withMessageEndingWith(
            "is missing; regenerate it with scripts/export or run `imagine-bot models fetch big`");
  }

  @Test
  void verify_wrongSha_saysTheFileIsCorrupt() throws IOException {
    Path path = write("corrupt.pt", "hello\n");
    String expected = "ab".repeat(32);
    ModelFile file =
        new ModelFile("tiny", "generator", path, expected, null, "scripts/make_tiny_models.py");

    assertThatExceptionOfType(ModelFileException.class)
        .isThrownBy(() -> ModelFiles.verify(file))
        .withMessage(
            "model file "
                + path
                + " (model tiny, role generator) has sha256 5891b5b522d5…,"
                + " expected abababababab…; the file is corrupt or from another export")
        .satisfies(e -> assertThat(e.actualSha256()).isEqualTo(HELLO_SHA));
  }

  @Test
  void verify_directory_isNotAModelFile() {
    ModelFile file =
        new ModelFile("tiny", "generator", dir, HELLO_SHA, null, "scripts/make_tiny_models.py");

    assertThatExceptionOfType(ModelFileException.class)
        .isThrownBy(() -> ModelFiles.verify(file))
        .withMessageContaining("is not a regular file");
  }

  @Test
  void verify_afterAPass_rehashesOnlyWhenSizeOrTimeChange() throws IOException {
    Path path = write("model.pt", "hello\n");
    ModelFile file =
        new ModelFile("tiny", "generator", path, HELLO_SHA, null, "scripts/make_tiny_models.py");
    ModelFiles.verify(file);
    FileTime passed = Files.getLastModifiedTime(path);

    // Same size, same time: the remembered pass stands without reading the file again.
    Files.writeString(path, "HELLO\n", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(path, passed);
    assertThatCode(() -> ModelFiles.verify(file)).doesNotThrowAnyException();

    // A new modification time means a new file: it is hashed again and fails.
    Files.setLastModifiedTime(path, FileTime.fromMillis(passed.toMillis() + 5_000));
    assertThatExceptionOfType(ModelFileException.class)
        .isThrownBy(() -> ModelFiles.verify(file))
        .withMessageContaining("has sha256");
  }

  @Test
  void sha256_matchesAKnownDigest() throws IOException {
    assertThat(ModelFiles.sha256(write("hello.txt", "hello\n"))).isEqualTo(HELLO_SHA);
  }

  private Path write(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content, StandardCharsets.UTF_8);
    return path;
  }
}
