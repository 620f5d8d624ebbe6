package org.imaginebot.request;

/**
 * One text prompt and the weight of its CLIP similarity in the loss.
 *
 * <p>A positive weight pulls the image towards the text; a negative weight pushes it away (a
 * negative prompt, Big Sleep's {@code text_min}).
 */
public record WeightedPrompt(String text, double weight) {

  /** Longest prompt text accepted, in characters (CLIP itself sees at most 75 tokens). */
  public static final int MAX_TEXT_LENGTH = 1000;

  public WeightedPrompt {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("prompt text may not be blank");
    }
    text = text.strip();
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "prompt text must be at most " + MAX_TEXT_LENGTH + " characters, got " + text.length());
    }
    if (!Double.isFinite(weight) || weight == 0.0) {
      throw new IllegalArgumentException("prompt weight must be a non-zero number, got " + weight);
    }
  }

  public boolean isNegative() {
    return weight < 0;
  }
}
