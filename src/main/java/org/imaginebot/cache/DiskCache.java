package org.imaginebot.cache;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.imaginebot.request.CacheKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The L2 cache: {@code dir/ab/<key>.png} plus {@code <key>.json}, safe across restarts and crashes.
 *
 * <p>Both files are written to temporary files and moved into place, PNG first: the JSON is the
 * commit marker, so a reader never sees half an entry as valid. The JSON holds the PNG's SHA-256,
 * so a damaged PNG is found too. Damaged entries are deleted and logged; any I/O failure is logged
 * and answered as a miss, never thrown. Each file's modification time is set to the image's {@code
 * createdAt}, which orders eviction without reading every JSON.
 */
final class DiskCache {

  private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
  private static final String PNG = ".png";
  private static final String JSON = ".json";
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

  private final Path dir;
  private final long maxBytes;
  private final Duration ttl;
  private final Clock clock;

  DiskCache(Path dir, long maxBytes, Duration ttl, Clock clock) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.ttl = ttl;
    this.clock = clock;
  }

  Optional<CachedImage> read(CacheKey key) {
    Path json = file(key, JSON);
    Path png = file(key, PNG);
    byte[] metadata;
    byte[] image;
    try {
      metadata = Files.readAllBytes(json);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // no entry, or one still being written: its JSON comes last
    } catch (IOException e) {
      return unreadable(json, e);
    }
    try {
      image = Files.readAllBytes(png);
    } catch (NoSuchFileException e) {
      return discard(json, png, "its PNG is missing");
    } catch (IOException e) {
      return unreadable(png, e);
    }
    CachedImage cached;
    try {
      Entry entry = MAPPER.readValue(metadata, Entry.class);
      if (entry.pngBytes() != image.length || !entry.pngSha256().equals(sha256(image))) {
        return discard(json, png, "its PNG does not match the SHA-256 in its JSON");
      }
      cached = entry.toImage(image);
    } catch (IOException | RuntimeException e) {
      return discard(json, png, "its JSON is unreadable: " + firstLine(e));
    }
    if (!clock.instant().isBefore(cached.createdAt().plus(ttl))) {
      delete(json, png);
      return Optional.empty();
    }
    return Optional.of(cached);
  }

  void write(CacheKey key, CachedImage image) {
    long size = image.pngSize();
    if (size > maxBytes) {
      return;
    }
    Path png = file(key, PNG);
    Path json = file(key, JSON);
    Path pngTemp = null;
    Path jsonTemp = null;
    try {
      Files.createDirectories(png.getParent());
      FileTime createdAt = FileTime.from(image.createdAt());
      pngTemp = temp(png, image.png(), createdAt);
      jsonTemp = temp(json, MAPPER.writeValueAsBytes(Entry.of(image)), createdAt);
      move(pngTemp, png);
      move(jsonTemp, json);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot write disk cache entry {}; it stays in memory only", json, e);
      deleteQuietly(pngTemp);
      deleteQuietly(jsonTemp);
      return;
    }
    try {
      trim();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot trim disk cache {} to {} bytes", dir, maxBytes, e);
    }
  }

  /** Deletes the entry of {@code key}; true when its JSON (the commit marker) was there. */
  boolean remove(CacheKey key) {
    Path json = file(key, JSON);
    boolean existed;
    try {
      existed = Files.deleteIfExists(json);
    } catch (IOException e) {
      LOG.warn("cannot delete disk cache file {}", json, e);
      existed = Files.exists(json);
    }
    deleteQuietly(file(key, PNG));
    return existed;
  }

  /** Drops expired entries, then the oldest ones until the files fit in {@code maxBytes}. */
  private synchronized void trim() throws IOException {
    Map<String, Stored> entries = new HashMap<>();
    try (Stream<Path> files = Files.find(dir, 2, (p, a) -> a.isRegularFile() && isEntryFile(p))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        String hex = name.substring(0, name.lastIndexOf('.'));
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue; // deleted by a reader meanwhile
        }
        entries.computeIfAbsent(hex, h -> new Stored(p.getParent(), h)).add(attributes);
      }
    }
    long total = entries.values().stream().mapToLong(Stored::bytes).sum();
    Instant expiredBefore = clock.instant().minus(ttl);
    List<Stored> oldestFirst = new ArrayList<>(entries.values());
    oldestFirst.sort(Comparator.comparing(Stored::oldest).thenComparing(Stored::hex));
    for (Stored entry : oldestFirst) {
      if (total <= maxBytes && entry.oldest().toInstant().isAfter(expiredBefore)) {
        break;
      }
      delete(entry.shard().resolve(entry.hex() + JSON), entry.shard().resolve(entry.hex() + PNG));
      total -= entry.bytes();
    }
  }

  private static boolean isEntryFile(Path p) {
    String name = p.getFileName().toString();
    return !name.startsWith(".") && (name.endsWith(PNG) || name.endsWith(JSON));
  }

  private Path file(CacheKey key, String extension) {
    return dir.resolve(key.hex().substring(0, 2)).resolve(key.hex() + extension);
  }

  /**
   * Temporary files start with a dot, so {@link #trim} never counts or deletes a write under way.
   */
  private static Path temp(Path target, byte[] content, FileTime modified) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    Files.write(temp, content);
    Files.setLastModifiedTime(temp, modified);
    return temp;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the disk cache needs atomic renames, which " + to.getParent() + " lacks", e);
    }
  }

  private static Optional<CachedImage> unreadable(Path file, IOException e) {
    // No stack trace: a broken disk would log one per lookup.
    LOG.warn("cannot read disk cache file {}; treating it as a miss: {}", file, e.toString());
    return Optional.empty();
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("");
  }

  private Optional<CachedImage> discard(Path json, Path png, String why) {
    LOG.warn("discarding damaged disk cache entry {}: {}", json, why);
    delete(json, png);
    return Optional.empty();
  }

  /** JSON first: without it the entry is a miss at once, even if deleting the PNG fails. */
  private static void delete(Path json, Path png) {
    deleteQuietly(json);
    deleteQuietly(png);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete disk cache file {}", file, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The JSON metadata; {@code createdAt} as ISO-8601 text to need no Jackson time module. */
  record Entry(
      String pngSha256,
      long pngBytes,
      double clipScore,
      int bestStep,
      int steps,
      long seed,
      String model,
      String strategy,
      String createdAt,
      long generationMillis) {

    static Entry of(CachedImage image) {
      byte[] png = image.png();
      return new Entry(
          sha256(png),
          png.length,
          image.clipScore(),
          image.bestStep(),
          image.steps(),
          image.seed(),
          image.model(),
          image.strategy(),
          image.createdAt().toString(),
          image.generationMillis());
    }

    CachedImage toImage(byte[] png) {
      return new CachedImage(
          png,
          clipScore,
          bestStep,
          steps,
          seed,
          model,
          strategy,
          Instant.parse(createdAt),
          generationMillis);
    }
  }

  /** The files of one entry found by {@link #trim}. */
  private static final class Stored {

    private final Path shard;
    private final String hex;
    private long bytes;
    private FileTime oldest;

    Stored(Path shard, String hex) {
      this.shard = shard;
      this.hex = hex;
    }

    void add(BasicFileAttributes attributes) {
      bytes += attributes.size();
      FileTime modified = attributes.lastModifiedTime();
      oldest = oldest == null || modified.compareTo(oldest) < 0 ? modified : oldest;
    }

    Path shard() {
      return shard;
    }

    String hex() {
      return hex;
    }

    long bytes() {
      return bytes;
    }

    FileTime oldest() {
      return oldest;
    }
  }
}
