package org.imaginebot.bot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.WeightedPrompt;

/**
 * How an image was made, in words, for an Info button: the same facts its PNG records, as labelled
 * plain-text fields that each adapter only renders (and escapes) its own way.
 *
 * @param fields in reading order; Avoiding and Image prompts only when there are some
 * @param hint one line on re-making the image from its PNG
 */
public record ImageInfo(List<Field> fields, String hint) {

  /** Hex digits of a sha256 shown: enough to tell files apart, short enough to read. */
  static final int SHORT_SHA = 12;

  static final String HINT =
      "The PNG records these parameters: `imagine-bot generate --from FILE.png` makes the same"
          + " image again on the same kind of device.";

  /**
   * One labelled fact.
   *
   * @param label e.g. {@code Seed}
   * @param value plain text, not escaped for any platform
   */
  public record Field(String label, String value) {
    public Field {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(value, "value");
    }
  }

  public ImageInfo {
    fields = List.copyOf(fields);
    Objects.requireNonNull(hint, "hint");
  }

  public static ImageInfo of(Provenance provenance) {
    GenerationRequest request = provenance.request();
    EngineFingerprint engine = provenance.engine();
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("Prompt", prompts(request.prompts(), false)));
    String negatives = prompts(request.prompts(), true);
    if (!negatives.isEmpty()) {
      fields.add(new Field("Avoiding", negatives));
    }
    if (!provenance.images().isEmpty()) {
      List<String> images = new ArrayList<>();
      provenance
          .images()
          .forEach(
              i ->
                  images.add(
                      "sha256 " + shortSha(i.sha256()) + " (weight " + number(i.weight()) + ")"));
      fields.add(new Field("Image prompts", String.join(", ", images)));
    }
    fields.add(new Field("Seed", request.seed() + " (" + seedSource(request) + ")"));
    fields.add(new Field("Steps", Integer.toString(request.steps())));
    if (request.grid() != 0) {
      fields.add(
          new Field(
              "Contact sheet",
              request.grid()
                  + " candidates, seeds "
                  + request.seed()
                  + " to "
                  + (request.seed() + request.grid() - 1)
                  + ", "
                  + request.candidateSteps()
                  + " steps each"));
    }
    if (request.origin() != null) {
      fields.add(
          new Field(
              "Re-prompted from",
              prompts(request.origin().prompts(), false)
                  + " after "
                  + request.origin().steps()
                  + " steps"));
    }
    fields.add(new Field("Strategy", request.strategy().id()));
    fields.add(new Field("Model", request.model()));
    fields.add(new Field("Size", size(request)));
    fields.add(
        new Field("Variation", request.variation() == 0 ? "none" : "#" + request.variation()));
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, String> file : engine.files().entrySet()) {
      files.add(file.getKey() + " " + shortSha(file.getValue()));
    }
    fields.add(new Field("Model files (sha256)", String.join(", ", files)));
    fields.add(
        new Field(
            "Engine",
            String.format(
                Locale.ROOT,
                "revision %d · cutouts %d · learning rate %s · truncation %s · style truncation %s"
                    + " · search top-k %d",
                engine.revision(),
                engine.cutouts(),
                number(engine.learningRate()),
                number(engine.truncation()),
                number(engine.styleTruncation()),
                engine.searchTopK())));
    return new ImageInfo(fields, HINT);
  }

  /** The field labelled {@code label}; empty text when there is none. */
  public String value(String label) {
    return fields.stream()
        .filter(f -> f.label().equals(label))
        .map(Field::value)
        .findFirst()
        .orElse("");
  }

  /** Positive prompts in the prompt language ({@code text:weight}), or negatives with weights. */
  private static String prompts(List<WeightedPrompt> prompts, boolean negative) {
    List<String> parts = new ArrayList<>();
    for (WeightedPrompt p : prompts) {
      if (p.isNegative() != negative) {
        continue;
      }
      if (negative) {
        parts.add(p.text() + " (weight " + number(p.weight()) + ")");
      } else {
        parts.add(p.weight() == 1.0 ? p.text() : p.text() + ":" + number(p.weight()));
      }
    }
    return String.join(negative ? ", " : " | ", parts);
  }

  private static String seedSource(GenerationRequest request) {
    return switch (request.seedSource()) {
      case TYPED -> "chosen";
      case DERIVED -> "derived from the prompt and settings";
      case RANDOM -> "random";
    };
  }

  private static String size(GenerationRequest request) {
    return request.size() == GenerationRequest.NATIVE_SIZE
        ? "the model's own"
        : request.size() + "×" + request.size() + " px";
  }

  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static String shortSha(String sha256) {
    return sha256.length() > SHORT_SHA ? sha256.substring(0, SHORT_SHA) : sha256;
  }
}
