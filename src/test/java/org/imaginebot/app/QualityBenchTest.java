package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.imaginebot.app.Cli.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench quality} without real weights: a clear sentence, exit 0, and no number. */
final class QualityBenchTest {

  private static Outcome run(String... args) {
    return Cli.run(args);
  }

  @Test
  void projectManifest_hasOnlyTinyModels_soItSaysThereIsNoScore() {
    Outcome outcome = run("bench", "quality");

    assertThat(outcome.code()).isZero();
    assertThat(outcome.out())
        .startsWith("bench quality: no real weights, so no score: ")
        .contains("no CLIP ViT-B/32 entry (id clip-vit-b32)")
        .contains("config/models.yaml")
        .doesNotContain("mean_clip_score");
    assertThat(outcome.out().replace("paper's 0.3053", ""))
        .as("no score but the paper's")
        .doesNotContainPattern("[0-9]\\.[0-9]");
    assertThat(outcome.err()).isEmpty();
  }

  @Test
  void realEntriesWithoutTheirFiles_nameTheMissingFile(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("models.yaml");
    String sha = "ab".repeat(32);
    Files.writeString(
        manifest,
        """
        models:
          - id: clip-vit-b32
            kind: clip
            licence: MIT
            source: scripts/export
            files:
              image: { path: clip-vit-b32/image.pt, sha256: %s }
              text: { path: clip-vit-b32/text.pt, sha256: %s }
          - id: biggan-deep-256
            kind: biggan
            clip: clip-vit-b32
            imageSize: 256
            numLatents: 13
            zDim: 128
            numClasses: 1000
            licence: Apache-2.0
            source: scripts/export
            files:
              generator: { path: biggan-deep-256/generator.pt, sha256: %s }
        """
            .formatted(sha, sha, sha));
    Files.createDirectories(dir.resolve("clip-vit-b32"));
    Files.writeString(dir.resolve("clip-vit-b32/image.pt"), "not checked here");
    Files.writeString(dir.resolve("clip-vit-b32/text.pt"), "not checked here");

    Outcome outcome =
        run("bench", "quality", "--manifest", manifest.toString(), "--models-dir", dir.toString());

    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.out())
        .startsWith("bench quality: no real weights, so no score: ")
        .contains("model biggan-deep-256 lacks its generator file")
        .contains("generator.pt")
        .doesNotContain("mean_clip_score");
  }
}
