package org.imaginebot.models;

/**
 * A model file that is missing, unreadable or not the file the manifest names.
 *
 * <p>The message says which file, of which model and role, and what to do about it.
 */
public class ModelFileException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient ModelFile file;
  private final String actualSha256;

  ModelFileException(String message, ModelFile file, String actualSha256, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.actualSha256 = actualSha256;
  }

  /** The manifest's entry for the file. */
  public ModelFile file() {
    return file;
  }

  /** The SHA-256 the file has (full, lower case) when it did not match; null otherwise. */
  public String actualSha256() {
    return actualSha256;
  }
}
