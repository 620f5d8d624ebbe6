package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imaginebot.engine.CpuKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KernelCacheTest {

  private static final String CPUINFO =
      """
      processor\t: 0
      model name\t: AMD EPYC 9R14
      flags\t\t: fpu sse4_1 avx2 avx512f
      processor\t: 1
      model name\t: AMD EPYC 9R14
      flags\t\t: fpu sse4_1 avx2 avx512f
      """;

  @TempDir Path dir;

  @Test
  void key_namesModelFlagsAndThreads() {
    String key = KernelCache.key(CPUINFO, 2);

    assertThat(key).matches("cpu=AMD EPYC 9R14;flags=[0-9a-f]{12};threads=2;check=2");
    assertThat(KernelCache.key(CPUINFO.replace(" avx512f", ""), 2)).isNotEqualTo(key);
    assertThat(KernelCache.key(CPUINFO, 1)).isNotEqualTo(key);
    assertThat(KernelCache.key("", 2)).startsWith("cpu=unknown cpu;flags=");
  }

  @Test
  void store_thenLookup_givesTheChoiceBack_perKey() {
    Path file = dir.resolve("sub/cpu-kernels.properties");
    KernelCache cache = new KernelCache(file);

    cache.store("cpu=A;flags=1;threads=2", new KernelChoice(CpuKernels.ONEDNN_OFF, "checked"));
    cache.store("cpu=B;flags=2;threads=2", new KernelChoice(CpuKernels.SSE41, "checked"));

    KernelCache reopened = new KernelCache(file);
    assertThat(reopened.lookup("cpu=A;flags=1;threads=2")).contains(CpuKernels.ONEDNN_OFF);
    assertThat(reopened.lookup("cpu=B;flags=2;threads=2")).contains(CpuKernels.SSE41);
    assertThat(reopened.lookup("cpu=A;flags=1;threads=1")).isEmpty();
  }

  @Test
  void lookup_unknownValueOrMissingFile_isEmpty() throws IOException {
    Path file = dir.resolve("cpu-kernels.properties");
    assertThat(new KernelCache(file).lookup("cpu=A")).isEmpty();

    Files.writeString(file, "cpu\\=A=avx9\n");

    assertThat(new KernelCache(file).lookup("cpu=A")).isEmpty();
  }
}
