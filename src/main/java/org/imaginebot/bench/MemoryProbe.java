package org.imaginebot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The memory figures a soak run samples, and how it judges their growth. */
public final class MemoryProbe {

  /** Samples compared at each end of a series: medians, so one noisy sample moves nothing. */
  static final int ENDS = 5;

  private static final Path STATUS = Path.of("/proc/self/status");

  /**
   * One sample.
   *
   * @param rssMb resident memory of this process (Linux {@code VmRSS}; -1 where unknown): the Java
   *     heap and the native memory libtorch allocates
   * @param heapMb Java heap in use after a full collection
   */
  public record Sample(double rssMb, double heapMb) {}

  private MemoryProbe() {}

  /** Collects garbage, then reads the heap in use and the resident memory. */
  public static Sample sample() {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return new Sample(rssMb(), heap / (1024.0 * 1024.0));
  }

  static double rssMb() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: reported as unknown
    }
    return -1;
  }

  /**
   * How much a series grew, in percent: the median of its last {@value #ENDS} values against the
   * median of its first {@value #ENDS} (fewer when the series is short). A series that starts at 0
   * grew 0 % if it ends at 0 and 100 % otherwise.
   */
  public static double growthPct(List<Double> series) {
    if (series.isEmpty()) {
      return 0;
    }
    int n = Math.min(ENDS, series.size());
    double first = median(series.subList(0, n));
    double last = median(series.subList(series.size() - n, series.size()));
    if (first == 0) {
      return last == 0 ? 0 : 100;
    }
    return Math.round((last - first) / first * 1000) / 10.0;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
