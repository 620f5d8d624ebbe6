package org.imaginebot.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.imaginebot.engine.ProgressListener;

/** Output paths of the CLI: checked before a long run, written atomically after it. */
final class OutputFiles {

  private OutputFiles() {}

  /** Fails before any work when {@code file} cannot be written, saying why. */
  static void checkWritable(Path file) {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      throw new IllegalArgumentException(
          "--out " + file + " is a directory; give a file name such as " + file.resolve("out.png"));
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          "--out " + file + ": directory " + parent + " does not exist; create it first");
    }
    if (!Files.isWritable(parent) || (Files.exists(absolute) && !Files.isWritable(absolute))) {
      throw new IllegalArgumentException("--out " + file + " is not writable; choose another path");
    }
  }

  /** Writes through a temporary file so a reader never sees half a PNG. */
  static void write(Path file, byte[] bytes) throws IOException {
    Path absolute = file.toAbsolutePath();
    // Not Files.createTempFile: its 0600 mode would stay on the image after the move.
    Path temp =
        absolute.resolveSibling(
            "." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".part");
    try {
      Files.write(temp, bytes);
      Files.move(
          temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Adds to {@code listener} the writing of each preview as {@code step-0010.png} in {@code dir}.
   */
  static ProgressListener andPreviewsTo(ProgressListener listener, Path dir) {
    return progress -> {
      listener.onProgress(progress);
      if (progress.hasPreview()) {
        try {
          write(
              dir.resolve(String.format(Locale.ROOT, "step-%04d.png", progress.step())),
              progress.previewPng());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
}
