package org.imaginebot.engine.djl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The 1000 ImageNet class names in BigGAN's class-index order (from openai/CLIP, MIT). */
final class ImageNetClasses {

  private static final String RESOURCE = "/clip/imagenet_classes.txt";

  private ImageNetClasses() {}

  static List<String> load() {
    try (InputStream in = ImageNetClasses.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "class-name resource " + RESOURCE + " is missing from the build");
      }
      List<String> names =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
              .lines()
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .toList();
      if (names.size() != 1000) {
        throw new IllegalStateException(
            RESOURCE + " must hold 1000 class names, has " + names.size());
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
