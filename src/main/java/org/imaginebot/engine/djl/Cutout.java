package org.imaginebot.engine.djl;

/**
 * A square crop of the generated image: rows {@code top..top+size}, columns {@code
 * left..left+size}.
 */
public record Cutout(int size, int top, int left) {

  public Cutout {
    if (size < 1 || top < 0 || left < 0) {
      throw new IllegalArgumentException("bad cutout " + size + "@" + top + "," + left);
    }
  }
}
