package org.imaginebot.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the engine turns a prompt into an image. */
public enum Strategy {
  /** Big Sleep: Adam on the generator's latents against CLIP (seeds 000 and 003). */
  ADAM,
  /**
   * Top-k ImageNet class search: forward passes only, keeps the best of N candidates (seed 001).
   */
  SEARCH,
  /**
   * Ours: {@code search} for a quarter of the steps, then {@code adam} refines the best candidate.
   */
  AUTO,
  /** A genetic algorithm over the generator's inputs, one generation per step (seed 004). */
  EVOLVE;

  /** The name users type: {@code adam}, {@code search}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a user-typed name, with a message that lists the allowed ones. */
  public static Strategy parse(String name) {
    for (Strategy s : values()) {
      if (s.id().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown strategy '" + Echo.of(name) + "'; allowed: " + allowed());
  }

  static String allowed() {
    return Arrays.stream(values()).map(Strategy::id).collect(Collectors.joining(", "));
  }
}
