package org.imaginebot.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks model files against the manifest before the engine loads them.
 *
 * <p>A file passes when it exists and its SHA-256 is the manifest's. A pass is remembered per
 * (path, size, modification time) for the life of the process, so loading the same model again
 * costs a {@code stat}, not a hash; a file rewritten in place gets a new time and is hashed again.
 */
public final class ModelFiles {

  private static final Map<Path, Stamp> VERIFIED = new ConcurrentHashMap<>();

  private ModelFiles() {}

  /**
   * Verifies one file.
   *
   * @throws ModelFileException when the file is missing, unreadable or has another SHA-256
   */
  public static void verify(ModelFile file) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new ModelFileException(
          "model file " + file.describe() + " is missing; " + remedy(file), file, null, e);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    if (!attributes.isRegularFile()) {
      throw new ModelFileException(
          "model file " + file.describe() + " is not a regular file; " + remedy(file),
          file,
          null,
          null);
    }
    Path key = file.path().toAbsolutePath().normalize();
    Stamp stamp = new Stamp(attributes.size(), attributes.lastModifiedTime(), file.sha256());
    if (stamp.equals(VERIFIED.get(key))) {
      return;
    }
    String actual;
    try {
      actual = sha256(file.path());
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    if (!actual.equals(file.sha256())) {
      throw new ModelFileException(
          "model file "
              + file.describe()
              + " has sha256 "
              + abbreviate(actual)
              + ", expected "
              + abbreviate(file.sha256())
              + "; the file is corrupt or from another export",
          file,
          actual,
          null);
    }
    VERIFIED.put(key, stamp);
  }

  /** The SHA-256 of a file in lower-case hex, read in a stream. */
  static String sha256(Path path) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(path)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static ModelFileException unreadable(ModelFile file, IOException e) {
    return new ModelFileException(
        "model file " + file.describe() + " cannot be read: " + e, file, null, e);
  }

  private static String remedy(ModelFile file) {
    String fetch = "run `imagine-bot models fetch " + file.model() + "`";
    if (file.source() == null) {
      return file.url() == null ? "put it there" : fetch;
    }
    return "regenerate it with " + file.source() + (file.url() == null ? "" : " or " + fetch);
  }

  private static String abbreviate(String sha256) {
    return sha256.substring(0, 12) + "…";
  }

  /** What was true of a file when it passed. */
  private record Stamp(long size, FileTime modified, String sha256) {}
}
