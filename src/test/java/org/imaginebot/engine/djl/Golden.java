package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.imaginebot.models.ModelFile;
import org.imaginebot.models.ModelSpec;

/**
 * A golden file written by a script under scripts/reference/, and the checks every fidelity test
 * shares: the models it was computed on are the files the test loads, and numbers agree within the
 * fidelity tolerance.
 */
final class Golden {

  /** Relative tolerance of every compared quantity. */
  static final double RELATIVE = 1e-3;

  /** Absolute floor, so a value crossing 0 is not held to a relative bound of nothing. */
  static final double ABSOLUTE = 1e-5;

  private Golden() {}

  static JsonNode load(String name) throws IOException {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file %s (scripts/reference/)", name).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  /**
   * Fails unless the golden's {@code models} (file name to sha256) names exactly the files of these
   * specs that the test loads, with the same contents.
   */
  static void assertSameModels(JsonNode golden, List<String> fileNames, ModelSpec... specs)
      throws IOException {
    Map<String, Path> loaded = new TreeMap<>();
    for (ModelSpec spec : specs) {
      for (ModelFile file : spec.files().values()) {
        loaded.put(file.path().getFileName().toString(), file.path());
      }
    }
    Map<String, String> recorded = new TreeMap<>();
    golden
        .get("models")
        .fields()
        .forEachRemaining(e -> recorded.put(e.getKey(), e.getValue().asText()));
    assertThat(recorded.keySet())
        .as("model files of the golden")
        .containsExactlyInAnyOrderElementsOf(fileNames);
    for (String name : fileNames) {
      assertThat(loaded).as("the test loads %s", name).containsKey(name);
      assertThat(sha256(loaded.get(name)))
          .as(
              "%s the test loads is the file the golden was computed on; regenerate the golden",
              name)
          .isEqualTo(recorded.get(name));
    }
  }

  /** The larger of the relative and the absolute tolerance for {@code expected}. */
  static double tolerance(double expected) {
    return Math.max(RELATIVE * Math.abs(expected), ABSOLUTE);
  }

  static void assertClose(double actual, double expected, String what, Object... args) {
    assertThat(actual)
        .as(what + " (golden: " + expected + ")", args)
        .isCloseTo(expected, within(tolerance(expected)));
  }

  /** The largest deviation seen per component, absolute and as a share of the tolerance. */
  static final class Deviations {
    private final Map<String, double[]> worst = new TreeMap<>();

    /** Asserts {@code actual} is within tolerance of {@code expected} and records the gap. */
    void check(String component, double actual, double expected, String what, Object... args) {
      double gap = Math.abs(actual - expected);
      worst.merge(
          component,
          new double[] {gap, gap / tolerance(expected)},
          (a, b) -> new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
      assertClose(actual, expected, what, args);
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      worst.forEach(
          (component, w) ->
              text.append(
                  String.format(
                      java.util.Locale.ROOT,
                      "%s%s max |d| %.3g (%.3f of tolerance)",
                      text.length() == 0 ? "" : "; ",
                      component,
                      w[0],
                      w[1])));
      return text.toString();
    }
  }

  static String sha256(Path path) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  /** Row-major floats of a 1-D or 2-D JSON array. */
  static float[] floats(JsonNode array) {
    List<Float> values = new ArrayList<>();
    array.forEach(
        row -> {
          if (row.isArray()) {
            row.forEach(v -> values.add((float) v.asDouble()));
          } else {
            values.add((float) row.asDouble());
          }
        });
    float[] result = new float[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i);
    }
    return result;
  }

  /** The boxes of one step of a golden {@code boxes} array: {@code [size, top, left]} each. */
  static List<Cutout> cutouts(JsonNode step) {
    List<Cutout> cutouts = new ArrayList<>();
    step.forEach(
        b -> cutouts.add(new Cutout(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt())));
    return cutouts;
  }
}
