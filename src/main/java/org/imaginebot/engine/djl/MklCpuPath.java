package org.imaginebot.engine.djl;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Lets oneMKL, which libtorch uses for its matrix products, run the code path of the CPU's own
 * instruction set on CPUs that are not Intel's ({@link
 * org.imaginebot.engine.CpuKernels#MKL_NATIVE}).
 *
 * <p>oneMKL asks {@code mkl_serv_intel_cpu_true()} before it picks a path and takes a generic one
 * on any other vendor's CPU: on a 2-core AMD EPYC with AVX-512 a 1600x768x3072 product ran at 134
 * GFLOP/s there and 254 on the AVX-512 path, and a real-size step took 5.5 s against 3.1 s. The jar
 * carries a library of one function that answers yes ({@code src/main/native/mkl_cpu_path.c});
 * loaded with {@code RTLD_GLOBAL} before libtorch, it is where libtorch's call binds. oneMKL's
 * other feature checks stay its own, so it uses only instructions the CPU has; the kernel check
 * compares the results with float64 before {@code auto} keeps it.
 */
final class MklCpuPath {

  static final String RESOURCE = "/native/linux-x86_64/libimagine-mkl-cpu-path.so";

  private static final int RTLD_NOW = 0x2;
  private static final int RTLD_GLOBAL = 0x100;
  private static final String CPU_DETECT = "mkl_serv_cpu_detect";

  /** Held for the life of the process: JNA closes a library whose instance is collected. */
  private static volatile NativeLibrary loaded;

  private MklCpuPath() {}

  /** This process can load the library: x86-64 Linux, and the jar carries it. */
  static boolean available() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        && System.getProperty("os.arch", "").equals("amd64")
        && MklCpuPath.class.getResource(RESOURCE) != null;
  }

  /**
   * Whether the library could change anything here: it is {@link #available()} and the CPU is not
   * Intel's (on Intel's, oneMKL already takes the CPU's own path).
   */
  static boolean appliesToThisCpu() {
    return available() && !intelCpu(cpuinfo());
  }

  /** {@code cpuinfo}'s first {@code vendor_id} is {@code GenuineIntel}. */
  static boolean intelCpu(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals("vendor_id")) {
        return line.substring(colon + 1).strip().equals("GenuineIntel");
      }
    }
    return false;
  }

  /**
   * Loads the library into the process's global symbols; call before libtorch is loaded, once per
   * process (later calls do nothing).
   *
   * @throws IllegalStateException when it is not {@link #available()} or cannot be loaded
   */
  static synchronized void load() {
    if (loaded != null) {
      return;
    }
    if (!available()) {
      throw new IllegalStateException(
          "the MKL path library is only for x86-64 Linux; set engine.cpuKernels to onednn-off");
    }
    try {
      Path file = Files.createTempFile("imagine-mkl-cpu-path", ".so");
      file.toFile().deleteOnExit();
      try (InputStream in = MklCpuPath.class.getResourceAsStream(RESOURCE)) {
        Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      loaded =
          NativeLibrary.getInstance(
              file.toString(), Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the MKL path library to a temporary file", e);
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("cannot load the MKL path library: " + e.getMessage(), e);
    }
  }

  /**
   * The code path oneMKL chose in this process ({@code mkl_serv_cpu_detect}: 0 is the generic one,
   * higher values newer instruction sets, e.g. 7 for AVX-512); -1 when libtorch does not say. Call
   * after the PyTorch engine has started.
   */
  static int detectedPath() {
    try {
      return NativeLibrary.getInstance(
              Path.of(LibUtils.getLibtorchPath()).resolve("libtorch_cpu.so").toString())
          .getFunction(CPU_DETECT)
          .invokeInt(new Object[0]);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return -1;
    }
  }

  private static String cpuinfo() {
    try {
      return Files.readString(Path.of("/proc/cpuinfo"));
    } catch (IOException e) {
      return "";
    }
  }
}
