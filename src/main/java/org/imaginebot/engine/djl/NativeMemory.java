package org.imaginebot.engine.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Structure;
import java.util.Optional;

/**
 * The C allocator under libtorch: which one it is, what glibc's keeps, and handing back what it
 * keeps free ({@code engine.trimNativeMemory}).
 *
 * <p>Why: libtorch allocates a job's tensors with {@code malloc}. glibc serves the large ones with
 * {@code mmap} at first, but each one freed raises its mmap threshold (up to 32 MB), so from then
 * on they come from its arenas; freed, they stay there as free chunks that count in the resident
 * memory, and how much stays depends on how the next job's tensors fit between them. The soak bench
 * saw that as resident memory moving in ~13 MB steps and creeping up while the NDArray count and
 * the heap stayed flat ({@code malloc_free_mb} in {@code bench/results/soak.json}). {@code
 * malloc_trim(0)} after a job gives those free pages back ({@code MADV_DONTNEED} inside the arenas,
 * the tops trimmed), so between jobs the process holds what is live.
 *
 * <p>Only glibc is touched: with jemalloc or another allocator preloaded, or off Linux, {@link
 * #trim()} does nothing and {@link #glibcStats()} is empty.
 */
public final class NativeMemory {

  private static final Allocator ALLOCATOR = Allocator.find();

  private NativeMemory() {}

  /** The allocator libtorch's {@code malloc} reaches, e.g. "glibc 2.36" or "jemalloc". */
  public static String allocator() {
    return ALLOCATOR.name();
  }

  /**
   * Hands the memory glibc keeps free back to the system ({@code malloc_trim(0)}).
   *
   * @return true when glibc released some; false when it had none to release or the allocator is
   *     not glibc
   */
  public static boolean trim() {
    return ALLOCATOR.trim() != null && ALLOCATOR.trim().invokeInt(new Object[] {0L}) == 1;
  }

  /** glibc's own account ({@code mallinfo2}); empty for another allocator. */
  public static Optional<GlibcStats> glibcStats() {
    if (ALLOCATOR.mallinfo2() == null) {
      return Optional.empty();
    }
    MallInfo2 info = (MallInfo2) ALLOCATOR.mallinfo2().invoke(MallInfo2.class, new Object[0]);
    return Optional.of(
        new GlibcStats(info.arena + info.hblkhd, info.hblkhd, info.uordblks, info.fordblks));
  }

  /**
   * glibc's {@code mallinfo2}, in bytes.
   *
   * @param fromSystem taken from the system: arenas ({@code arena}) and mmapped chunks ({@code
   *     hblkhd})
   * @param mmapped of which mmapped chunks, given back as soon as they are freed
   * @param inUse in use in the arenas ({@code uordblks})
   * @param free free in the arenas ({@code fordblks}): what glibc keeps; resident unless trimmed
   */
  public record GlibcStats(long fromSystem, long mmapped, long inUse, long free) {}

  private record Allocator(String name, Function trim, Function mallinfo2) {

    static Allocator find() {
      NativeLibrary process;
      try {
        process = NativeLibrary.getProcess();
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        return new Allocator("unknown", null, null);
      }
      if (symbol(process, "mallctl") != null) {
        return new Allocator("jemalloc", null, null);
      }
      Function version = symbol(process, "gnu_get_libc_version");
      Function trim = symbol(process, "malloc_trim");
      if (version == null || trim == null) {
        return new Allocator("unknown", null, null);
      }
      return new Allocator(
          "glibc " + version.invokeString(new Object[0], false),
          trim,
          symbol(process, "mallinfo2"));
    }

    private static Function symbol(NativeLibrary library, String name) {
      try {
        return library.getFunction(name);
      } catch (UnsatisfiedLinkError e) {
        return null;
      }
    }
  }

  /** glibc's {@code struct mallinfo2}: ten {@code size_t}. */
  @Structure.FieldOrder({
    "arena",
    "ordblks",
    "smblks",
    "hblks",
    "hblkhd",
    "usmblks",
    "fsmblks",
    "uordblks",
    "fordblks",
    "keepcost"
  })
  public static final class MallInfo2 extends Structure implements Structure.ByValue {
    public long arena;
    public long ordblks;
    public long smblks;
    public long hblks;
    public long hblkhd;
    public long usmblks;
    public long fsmblks;
    public long uordblks;
    public long fordblks;
    public long keepcost;
  }
}
