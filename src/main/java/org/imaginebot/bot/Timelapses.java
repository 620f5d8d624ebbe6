package org.imaginebot.bot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The preview frames of finished jobs, by the reference their Timelapse button carries, so the GIF
 * is made only when someone asks. Bounded by bytes and kept a day, in memory only: after a restart
 * the button says the frames are gone. Shared by the adapters.
 */
public final class Timelapses {

  private static final long MAX_BYTES = 256L << 20;

  private final Cache<String, List<byte[]>> frames =
      Caffeine.newBuilder()
          .maximumWeight(MAX_BYTES)
          .weigher((String ref, List<byte[]> pngs) -> pngs.stream().mapToInt(p -> p.length).sum())
          .expireAfterWrite(Duration.ofDays(1))
          .build();

  public void put(String ref, List<byte[]> pngs) {
    frames.put(ref, List.copyOf(pngs));
  }

  public Optional<List<byte[]>> get(String ref) {
    return Optional.ofNullable(frames.getIfPresent(ref));
  }
}
