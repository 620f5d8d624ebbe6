package org.imaginebot.provenance;

import java.util.Base64;
import java.util.Optional;
import org.imaginebot.engine.RunState;
import org.imaginebot.render.Png;

/**
 * Where an {@code adam} run stopped, carried by its PNG so the image can be continued ({@code
 * generate --from X.png --continue N}) after a restart or from a cache hit: a {@code tEXt} chunk
 * {@value #KEYWORD} holding {@link RunState#toBytes} in base64 (tEXt is Latin-1 text).
 */
public final class RunStateChunk {

  /** The chunk's keyword. */
  public static final String KEYWORD = "imagine-bot-state";

  private RunStateChunk() {}

  /** {@code png} carrying {@code state} (any earlier state chunk replaced). */
  public static byte[] stamp(byte[] png, RunState state) {
    return Png.withText(png, KEYWORD, Base64.getEncoder().encodeToString(state.toBytes()));
  }

  /**
   * The state {@code png} carries; empty when it has no state chunk.
   *
   * @throws IllegalArgumentException when it has one that cannot be read (damaged, another version)
   */
  public static Optional<RunState> read(byte[] png) {
    Optional<String> text = Png.text(png, KEYWORD);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("run state is not base64 (" + e.getMessage() + ")", e);
    }
    return Optional.of(RunState.fromBytes(bytes));
  }
}
