package org.imaginebot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.engine.RunState;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.provenance.RunStateChunk;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ImagePrompt;
import org.imaginebot.request.Strategy;

/**
 * {@code generate --from IMAGE.png}: the request an image records, refused when this bot's model
 * files, engine or settings would make another image, so a re-make either matches or says why not.
 */
final class FromImage {

  private FromImage() {}

  /** The bytes of {@code file}, the image to re-make. */
  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--from " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--from " + file + ": cannot read it (" + e.getMessage() + ")");
    }
  }

  /** What {@code png} (the contents of {@code file}) records. */
  static Provenance provenance(byte[] png, Path file) {
    return Provenance.read(png)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    Provenance.hasChunk(png)
                        ? file
                            + " has imagine-bot parameters this version cannot read (damaged, or"
                            + " written by a newer imagine-bot)"
                        : file
                            + " has no imagine-bot parameters; it was not made by this bot or its"
                            + " metadata was stripped"));
  }

  /**
   * The run state {@code png} (the contents of {@code file}, which records {@code request}) carries
   * for {@code --continue}.
   *
   * @throws IllegalArgumentException when it has none or it is damaged
   */
  static RunState state(byte[] png, Path file, GenerationRequest request) {
    Optional<RunState> state;
    try {
      state = RunStateChunk.read(png);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": its run state is damaged, so it cannot be continued (" + e.getMessage() + ")",
          e);
    }
    if (state.isEmpty() || request.strategy() != Strategy.ADAM) {
      throw new IllegalArgumentException(
          file
              + " has no run state to continue: it was made by search/auto/evolve or before"
              + " continuing existed; only adam images can be continued");
    }
    if (state.get().step() != request.steps()) {
      throw new IllegalArgumentException(
          file
              + ": its run state is damaged, so it cannot be continued (state of step "
              + state.get().step()
              + ", the image records "
              + request.steps()
              + " steps)");
    }
    return state.get();
  }

  /**
   * The request to run again.
   *
   * @param images {@code --image} files: the image prompts the original used, matched by sha256
   * @throws IllegalStateException when the manifest lacks the model or has other files for it, or
   *     the engine revision differs (the environment must change)
   * @throws IllegalArgumentException when a setting differs ({@code --set} fixes it) or an image
   *     prompt was not given
   */
  static GenerationRequest request(
      Provenance recorded,
      Path file,
      ModelManifest manifest,
      EngineConfig config,
      List<ImagePrompt> images) {
    String model = recorded.request().model();
    if (manifest.all().stream().noneMatch(spec -> spec.id().equals(model))) {
      throw new IllegalStateException(
          file
              + " was made with model '"
              + model
              + "', which the manifest "
              + config.manifest()
              + " lacks; add it with the same files to re-make the image");
    }
    EngineFingerprint here = EngineFingerprint.of(config, manifest, model);
    EngineFingerprint then = recorded.engine();
    List<String> files = fileDifferences(then.files(), here.files());
    if (!files.isEmpty()) {
      throw new IllegalStateException(
          file
              + " was made with other model files than the manifest "
              + config.manifest()
              + " lists: "
              + String.join(", ", files)
              + "; the result would differ. Use the files it was made with.");
    }
    if (then.revision() != here.revision()) {
      throw new IllegalStateException(
          file
              + " was made by engine revision "
              + then.revision()
              + ", this build is revision "
              + here.revision()
              + "; the result would differ. Use the imagine-bot build that made it.");
    }
    List<String> settings = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    for (Map.Entry<String, String> setting : then.settings().entrySet()) {
      String now = here.settings().get(setting.getKey());
      if (!setting.getValue().equals(now)) {
        settings.add(setting.getKey() + "=" + setting.getValue() + " (here " + now + ")");
        fixes.add("--set " + setting.getKey() + "=" + setting.getValue());
      }
    }
    if (!settings.isEmpty()) {
      throw new IllegalArgumentException(
          file
              + " was made with "
              + String.join(", ", settings)
              + "; the result would differ. Add "
              + String.join(" ", fixes));
    }
    try {
      return recorded.request(images);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": " + e.getMessage() + "; pass each image with --image FILE", e);
    }
  }

  private static List<String> fileDifferences(Map<String, String> then, Map<String, String> here) {
    List<String> differences = new ArrayList<>();
    TreeSet<String> roles = new TreeSet<>(then.keySet());
    roles.addAll(here.keySet());
    for (String role : roles) {
      String was = then.get(role);
      String is = here.get(role);
      if (was == null) {
        differences.add(role + " (not used then)");
      } else if (is == null) {
        differences.add(role + " sha256 " + shortSha(was) + " (not in the manifest)");
      } else if (!was.equals(is)) {
        differences.add(
            role + " sha256 " + shortSha(was) + " (the manifest has " + shortSha(is) + ")");
      }
    }
    return differences;
  }

  private static String shortSha(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
  }
}
