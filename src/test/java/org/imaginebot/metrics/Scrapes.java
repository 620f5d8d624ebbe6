package org.imaginebot.metrics;

import java.util.Optional;

/** Reads single samples out of Prometheus text exposition, as a dashboard query would. */
final class Scrapes {

  private Scrapes() {}

  /** The value of the sample written exactly as {@code series}, such as {@code a_total{x="y"}}. */
  static Optional<Double> sample(String scrape, String series) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
        .findFirst();
  }
}
