package org.imaginebot.request;

/**
 * Where a request's seed came from, which decides whether its image may come from the cache: a seed
 * the user typed or one derived from the request itself names one image, so a repeat of the request
 * is answered with it; a freshly drawn seed (Re-roll, {@code --seed random}) asks for a new image.
 */
public enum SeedSource {
  /** The user chose it ({@code --seed 7}). */
  TYPED,
  /**
   * A stable function of the request ({@link DerivedSeed}), so the same request gets the same seed.
   */
  DERIVED,
  /** Drawn at random: the user wants a new image. */
  RANDOM;

  /** True when the same request with this seed may be answered from the cache. */
  public boolean cacheable() {
    return this != RANDOM;
  }
}
