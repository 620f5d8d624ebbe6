package org.imaginebot.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Where an {@code adam} run stopped, so it can go on ({@link Engine#resume}): named float32 arrays
 * (the final latents, Adam's moments, the best latents so far) and the scalars that decide the rest
 * of the run. Engine-independent and immutable; {@link #toBytes} / {@link #fromBytes} give a small
 * versioned binary form (little-endian) that travels inside the PNG.
 *
 * <p>Layout, version 1: magic {@code "IBRS"}, int32 version, int32 step, float64 initialScore,
 * float64 bestScore, int32 bestStep, int32 array count, then per array: uint16 name length, the
 * name in UTF-8, uint8 rank, int64 per dimension, the float32 values; last a CRC-32 of all
 * preceding bytes.
 *
 * @param step optimizer steps run so far (Adam's step count); the next step is {@code step + 1}
 * @param initialScore the CLIP score of step 1
 * @param bestScore the best CLIP score so far
 * @param bestStep the step that reached it (1-based)
 * @param arrays the named arrays, names unique
 */
public record RunState(
    int step, double initialScore, double bestScore, int bestStep, List<Array> arrays) {

  /** Version of the binary layout. */
  public static final int VERSION = 1;

  private static final byte[] MAGIC = {'I', 'B', 'R', 'S'};
  private static final int MAX_ARRAYS = 256;
  private static final int MAX_RANK = 8;
  private static final int MAX_NAME = 200;

  /**
   * One named float32 array.
   *
   * @param name unique within the state, e.g. {@code latent.0}
   * @param shape its dimensions, each at least 0; their product is {@code values.length}
   * @param values row-major
   */
  public record Array(String name, long[] shape, float[] values) {
    public Array {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
        throw new IllegalArgumentException("an array name is 1 to " + MAX_NAME + " bytes");
      }
      shape = shape.clone();
      values = values.clone();
      if (shape.length > MAX_RANK) {
        throw new IllegalArgumentException("array " + name + " has rank " + shape.length);
      }
      long size = 1;
      for (long d : shape) {
        if (d < 0 || d > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("array " + name + ": bad dimension " + d);
        }
        size = Math.multiplyExact(size, d);
      }
      if (size != values.length) {
        throw new IllegalArgumentException(
            "array "
                + name
                + ": shape "
                + Arrays.toString(shape)
                + " holds "
                + size
                + " values, got "
                + values.length);
      }
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public float[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      // Bitwise float equality: a state is exact, NaN and -0 included.
      if (!(o instanceof Array a) || !name.equals(a.name) || !Arrays.equals(shape, a.shape)) {
        return false;
      }
      for (int i = 0; i < values.length; i++) {
        if (Float.floatToRawIntBits(values[i]) != Float.floatToRawIntBits(a.values[i])) {
          return false;
        }
      }
      return values.length == a.values.length;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
      return name + Arrays.toString(shape);
    }
  }

  public RunState {
    if (step < 0 || bestStep < 0 || bestStep > step) {
      throw new IllegalArgumentException("bad steps: step " + step + ", best step " + bestStep);
    }
    arrays = List.copyOf(arrays);
    Set<String> names = new HashSet<>();
    for (Array a : arrays) {
      if (!names.add(a.name())) {
        throw new IllegalArgumentException("array " + a.name() + " appears twice");
      }
    }
    if (arrays.size() > MAX_ARRAYS) {
      throw new IllegalArgumentException("at most " + MAX_ARRAYS + " arrays, got " + arrays.size());
    }
  }

  /**
   * This state with no best step yet: for going on under another objective (a re-prompt), where the
   * best score under the old prompts means nothing, so the next step becomes the best.
   */
  public RunState forNewObjective() {
    return new RunState(step, initialScore, Double.NEGATIVE_INFINITY, 0, arrays);
  }

  /** The array named {@code name}, if any. */
  public Optional<Array> array(String name) {
    return arrays.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The binary form, version {@value #VERSION}. */
  public byte[] toBytes() {
    int size = 4 + 4 + 4 + 8 + 8 + 4 + 4 + 4;
    List<byte[]> names = new ArrayList<>();
    for (Array a : arrays) {
      byte[] name = a.name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += 2 + name.length + 1 + 8 * a.shape.length + 4 * a.values.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putInt(VERSION).putInt(step).putDouble(initialScore).putDouble(bestScore);
    out.putInt(bestStep).putInt(arrays.size());
    for (int i = 0; i < arrays.size(); i++) {
      Array a = arrays.get(i);
      out.putShort((short) names.get(i).length).put(names.get(i)).put((byte) a.shape.length);
      for (long d : a.shape) {
        out.putLong(d);
      }
      for (float v : a.values) {
        out.putFloat(v);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /**
   * The state {@link #toBytes} wrote.
   *
   * @throws IllegalArgumentException naming what is wrong when {@code bytes} is not such a state
   *     (truncated, damaged, another version)
   */
  public static RunState fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length < 4 + 4 + 4 || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
      throw new IllegalArgumentException("not a run state (no IBRS header)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    in.position(4);
    int version = in.getInt();
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "run state version " + version + ", this build reads version " + VERSION);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
      throw new IllegalArgumentException("run state damaged (checksum mismatch)");
    }
    ByteBuffer body = ByteBuffer.wrap(bytes, 0, bytes.length - 4).order(ByteOrder.LITTLE_ENDIAN);
    body.position(8);
    try {
      int step = body.getInt();
      double initialScore = body.getDouble();
      double bestScore = body.getDouble();
      int bestStep = body.getInt();
      int count = body.getInt();
      if (count < 0 || count > MAX_ARRAYS) {
        throw new IllegalArgumentException("run state: bad array count " + count);
      }
      List<Array> arrays = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[Short.toUnsignedInt(body.getShort())];
        body.get(name);
        int rank = Byte.toUnsignedInt(body.get());
        if (rank > MAX_RANK) {
          throw new IllegalArgumentException("run state: bad rank " + rank);
        }
        long[] shape = new long[rank];
        long size = 1;
        for (int d = 0; d < rank; d++) {
          shape[d] = body.getLong();
          if (shape[d] < 0 || shape[d] > body.remaining()) {
            throw new IllegalArgumentException("run state: bad dimension " + shape[d]);
          }
          size *= shape[d];
          if (size * 4 > body.remaining()) {
            throw new IllegalArgumentException("run state: truncated array");
          }
        }
        float[] values = new float[(int) size];
        body.asFloatBuffer().get(values);
        body.position(body.position() + 4 * values.length);
        arrays.add(new Array(new String(name, StandardCharsets.UTF_8), shape, values));
      }
      if (body.hasRemaining()) {
        throw new IllegalArgumentException(
            "run state: " + body.remaining() + " bytes after the last array");
      }
      return new RunState(step, initialScore, bestScore, bestStep, arrays);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("run state truncated", e);
    }
  }
}
