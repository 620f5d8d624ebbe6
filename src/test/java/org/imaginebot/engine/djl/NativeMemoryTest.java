package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeMemory} on this process's real allocator: what glibc keeps after {@code free} is
 * resident until {@link NativeMemory#trim()} hands it back.
 */
class NativeMemoryTest {

  private static final int BLOCK = 256 * 1024;
  private static final int BLOCKS = 256;
  private static final long MB = 1024 * 1024;

  @Test
  void trim_givesTheFreedChunksGlibcKeptBackToTheSystem() throws IOException {
    assumeThat(NativeMemory.allocator()).as("glibc is the allocator").startsWith("glibc ");
    // One chunk of a size above the default mmap threshold, freed: glibc now serves chunks of this
    // size from its arenas and keeps them after free, as it does with libtorch's tensors.
    Native.free(Pointer.nativeValue(touched(4 * BLOCK)));
    long[] blocks = new long[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
      blocks[i] = Pointer.nativeValue(touched(BLOCK));
    }
    // Every other one freed, so the arena's top stays in use and plain top-trimming cannot help.
    for (int i = 0; i < BLOCKS; i += 2) {
      Native.free(blocks[i]);
    }
    long keptFree = NativeMemory.glibcStats().orElseThrow().free();
    long before = rssBytes();
    assertThat(keptFree).as("bytes glibc keeps free").isGreaterThan(BLOCKS / 2 * (long) BLOCK / 2);

    assertThat(NativeMemory.trim()).as("released something").isTrue();

    long after = rssBytes();
    // At least half of what this test freed: other tests in this JVM leave free chunks of their
    // own, which glibc may or may not hand back, and which other threads may be reusing meanwhile.
    long freedHere = BLOCKS / 2 * (long) BLOCK;
    assertThat(before - after)
        .as(
            "resident memory handed back (this test freed %d MB; glibc kept %d MB free)",
            freedHere / MB, keptFree / MB)
        .isGreaterThan(freedHere / 2);
    for (int i = 1; i < BLOCKS; i += 2) {
      Native.free(blocks[i]);
    }
  }

  @Test
  void glibcStats_countWhatIsInUse() {
    assumeThat(NativeMemory.allocator()).startsWith("glibc ");
    Pointer block = touched(8 * BLOCK);
    try {
      NativeMemory.GlibcStats stats = NativeMemory.glibcStats().orElseThrow();
      assertThat(stats.fromSystem()).isGreaterThanOrEqualTo(stats.inUse() + stats.mmapped());
      assertThat(stats.inUse() + stats.mmapped()).isGreaterThanOrEqualTo(8L * BLOCK);
    } finally {
      Native.free(Pointer.nativeValue(block));
    }
  }

  private static Pointer touched(int bytes) {
    long address = Native.malloc(bytes);
    assertThat(address).isNotZero();
    Pointer p = new Pointer(address);
    p.setMemory(0, bytes, (byte) 1);
    return p;
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS");
  }
}
