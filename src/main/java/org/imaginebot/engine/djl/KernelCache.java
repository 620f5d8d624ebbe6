package org.imaginebot.engine.djl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import org.imaginebot.engine.CpuKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auto}'s choices in a properties file, keyed by CPU model, a hash of its feature flags and
 * the thread count (the wrong kernels seen changed with the thread count); delete the file to check
 * again.
 */
final class KernelCache {

  private static final Logger LOG = LoggerFactory.getLogger(KernelCache.class);

  private final Path file;

  KernelCache(Path file) {
    this.file = file;
  }

  /**
   * The version of the check: a choice made by an older check (before {@code mkl-native}, check 1,
   * whose keys had no version) is not used, so it is made again.
   */
  static final int CHECK = 2;

  /**
   * {@code cpu=<model name>;flags=<12 hex of sha256>;threads=<n>;check=<CHECK>}, from
   * /proc/cpuinfo's first processor; "unknown cpu" fields where it is not readable.
   */
  static String key(String cpuinfo, int threads) {
    String model = "unknown cpu";
    String flags = "";
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).strip();
      if (name.equals("model name") && model.equals("unknown cpu")) {
        model = line.substring(colon + 1).strip();
      } else if (name.equals("flags") && flags.isEmpty()) {
        flags = line.substring(colon + 1).strip();
      }
    }
    return "cpu="
        + model
        + ";flags="
        + sha256(flags).substring(0, 12)
        + ";threads="
        + threads
        + ";check="
        + CHECK;
  }

  static String thisCpu(int threads) {
    try {
      return key(Files.readString(Path.of("/proc/cpuinfo")), threads);
    } catch (IOException e) {
      return key("", threads);
    }
  }

  Optional<CpuKernels> lookup(String key) {
    Properties properties = read();
    String value = properties.getProperty(key);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(CpuKernels.parse(value));
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring cached cpu kernels '{}' in {}: {}", value, file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Records {@code choice}; a file that cannot be written only costs a check at next start. */
  void store(String key, KernelChoice choice) {
    Properties properties = read();
    properties.setProperty(key, choice.kernels().id());
    properties.setProperty(key + ".checked", choice.summary());
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, "cpu-kernels", ".tmp");
      try (OutputStream out = Files.newOutputStream(temp)) {
        properties.store(out, "engine.cpuKernels: auto's choice per CPU; delete to check again");
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn(
          "cannot write {}: {}; the kernels will be checked again at next start",
          file,
          e.toString());
    }
  }

  private Properties read() {
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("ignoring unreadable {}: {}", file, e.toString());
      }
    }
    return properties;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
