package org.imaginebot.cache;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.imaginebot.request.CacheKey;

/** Test images and keys. */
final class Images {

  private Images() {}

  /** An image whose PNG is {@code size} bytes of {@code fill}. */
  static CachedImage image(int size, int fill, Instant createdAt) {
    byte[] png = new byte[size];
    Arrays.fill(png, (byte) fill);
    return new CachedImage(png, 0.31, 42, 100, 7L, "tiny", "adam", createdAt, 1234);
  }

  /** A valid key made of one repeated hex digit pair, e.g. {@code key(0xab)}. */
  static CacheKey key(int b) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) b);
    return new CacheKey(HexFormat.of().formatHex(bytes));
  }
}
