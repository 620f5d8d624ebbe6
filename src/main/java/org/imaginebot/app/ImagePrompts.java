package org.imaginebot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.render.Png;
import org.imaginebot.request.ImagePrompt;

/**
 * Reads {@code --image FILE[:WEIGHT]} options into image prompts, as PNG whatever the file's
 * format.
 */
final class ImagePrompts {

  private static final Pattern WITH_WEIGHT = Pattern.compile("^(.*):([-+]?\\d+(?:\\.\\d+)?)$");

  private ImagePrompts() {}

  static List<ImagePrompt> read(List<String> options) {
    List<ImagePrompt> prompts = new ArrayList<>();
    for (String option : options) {
      Matcher m = WITH_WEIGHT.matcher(option);
      Path file = Path.of(m.matches() ? m.group(1) : option);
      double weight = m.matches() ? Double.parseDouble(m.group(2)) : 1.0;
      prompts.add(new ImagePrompt(png(file), weight));
    }
    return prompts;
  }

  private static byte[] png(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--image " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--image " + file + ": cannot read it (" + e.getMessage() + ")");
    }
    try {
      return Png.encode(Png.decode(bytes));
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new IllegalArgumentException("--image " + file + ": not a PNG or JPEG image");
    }
  }
}
