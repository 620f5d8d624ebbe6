package org.imaginebot.engine.djl;

import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.engine.CpuKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide libtorch settings, applied once when the PyTorch engine starts: threads and the CPU
 * kernels ({@code engine.cpuKernels}: oneDNN's convolutions or libtorch's own, and oneMKL's path,
 * see {@link MklCpuPath}).
 *
 * <p>oneDNN's kernels are not right on every CPU: on an AMD EPYC its AVX-512 kernels gave a 3x3
 * convolution 7% off (changing with the thread count) and its AVX2 ones NaN gradients; on an Intel
 * Xeon AVX2 was wrong and AVX-512 right; and libtorch's own convolutions (oneDNN off) were the
 * fastest there. So {@code auto} checks the candidates with {@link KernelProbe} at the first start
 * on a CPU, keeps a correct one ({@link KernelChoice}) and caches it ({@link KernelCache}). oneDNN
 * reads {@code DNNL_MAX_CPU_ISA} once, when it first builds a kernel, so we set it in our own
 * environment before libtorch runs; "oneDNN off" is libtorch's {@code
 * at::globalContext().setUserEnabledMkldnn(false)}, called through JNA. An operator's own {@code
 * DNNL_MAX_CPU_ISA} wins (with a warning). GPUs are unaffected: with CUDA visible, nothing is
 * probed.
 *
 * <p>TorchScript's optimizing graph executor is turned off ({@code ai.djl.pytorch.graph_optimizer},
 * which DJL applies per thread): a module that had run with autograd (the {@code adam} strategy)
 * then failed in inference mode ({@code search}) with "Inference tensors cannot be saved for
 * backward", because the executor reused a plan made for autograd.
 *
 * <p>{@link #quietNativeWarnings()} lowers libtorch's C++ log to errors: it warns "Could not
 * initialize NNPACK" at every convolution on CPUs that NNPACK does not support.
 */
final class NativeSettings {

  static final String ISA_VARIABLE = "DNNL_MAX_CPU_ISA";
  static final String SAFE_ISA = "SSE41";

  /** Where {@link #apply()} (no configuration) keeps {@code auto}'s choice: the YAML's default. */
  static final Path DEFAULT_CACHE = Path.of("data/cpu-kernels.properties");

  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
  private static final String GET_MKLDNN = "_ZNK2at7Context17userEnabledMkldnnEv";
  private static final int C10_ERROR = 2;
  private static final Logger LOG = LoggerFactory.getLogger(NativeSettings.class);
  private static volatile CpuKernels applied;

  private NativeSettings() {}

  /** {@link #apply(CpuKernels, Path, int)} with the configuration's defaults. */
  static CpuKernels apply() {
    return apply(CpuKernels.AUTO, DEFAULT_CACHE, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Chooses the kernels, sets the threads and starts the PyTorch engine, once per process; later
   * calls return the first call's kernels.
   *
   * @return the kernels in use ({@link CpuKernels#NATIVE} for an operator's {@code
   *     DNNL_MAX_CPU_ISA} or a GPU)
   */
  static CpuKernels apply(CpuKernels requested, Path cache, int threads) {
    CpuKernels done = applied;
    if (done != null) {
      return done;
    }
    synchronized (NativeSettings.class) {
      if (applied == null) {
        CpuKernels kernels = choose(requested, cache, threads);
        Map<String, String> env = new java.util.HashMap<>();
        if (System.getenv(ISA_VARIABLE) == null
            && environmentFor(kernels, env).containsKey(ISA_VARIABLE)) {
          CLibrary.INSTANCE.setenv(ISA_VARIABLE, env.get(ISA_VARIABLE), 0);
        }
        applied = startEngine(kernels, threads);
        if (applied == CpuKernels.MKL_NATIVE) {
          LOG.info(
              "oneMKL path: {} (mkl_serv_cpu_detect; 0 is generic)", MklCpuPath.detectedPath());
        }
      }
      return applied;
    }
  }

  private static CpuKernels choose(CpuKernels requested, Path cache, int threads) {
    String own = System.getenv(ISA_VARIABLE);
    if (own != null) {
      LOG.warn(
          "{}={} from the environment: engine.cpuKernels ({}) is not applied and results are not checked",
          ISA_VARIABLE,
          own,
          requested.id());
      return CpuKernels.NATIVE;
    }
    if (requested != CpuKernels.AUTO) {
      LOG.info("cpu kernels: {} (engine.cpuKernels), {} threads", requested.id(), threads);
      return requested;
    }
    if (CudaUtils.hasCuda()) {
      LOG.info("cpu kernels: native (a GPU is visible; the CPU kernels are not checked)");
      return CpuKernels.NATIVE;
    }
    KernelCache kernelCache = new KernelCache(cache);
    String key = KernelCache.thisCpu(threads);
    Optional<CpuKernels> cached = kernelCache.lookup(key);
    if (cached.isPresent()) {
      LOG.info(
          "cpu kernels: {} (auto, checked earlier on this CPU; {} [{}])",
          cached.get().id(),
          cache,
          key);
      return cached.get();
    }
    // Shown whatever the log level: the first command on a new CPU waits for this, about 30 s here.
    System.err.println(
        "checking this CPU's kernels against float64, once per CPU model and thread count (about"
            + " half a minute; kept in "
            + cache
            + ")");
    long start = System.nanoTime();
    KernelChoice choice = KernelChoice.choose(KernelProbes.runAll(threads));
    kernelCache.store(key, choice);
    LOG.info(
        "cpu kernels: {} (auto, checked in {} ms against float64 on {}: {})",
        choice.kernels().id(),
        (System.nanoTime() - start) / 1_000_000,
        key,
        choice.summary());
    return choice.kernels();
  }

  /**
   * Puts {@code kernels}' oneDNN setting into a child process's environment {@code env}: the SSE4.1
   * cap, or no cap; returns {@code env}.
   */
  static Map<String, String> environmentFor(CpuKernels kernels, Map<String, String> env) {
    env.remove(ISA_VARIABLE);
    if (kernels == CpuKernels.SSE41) {
      env.put(ISA_VARIABLE, SAFE_ISA);
    }
    return env;
  }

  /**
   * Sets the thread count, loads the MKL path library if asked (before libtorch, see {@link
   * MklCpuPath}), starts the PyTorch engine and turns oneDNN off if asked.
   *
   * @return the kernels in effect: {@link CpuKernels#ONEDNN_OFF} when {@link CpuKernels#MKL_NATIVE}
   *     was asked but its library cannot be loaded here
   */
  static CpuKernels startEngine(CpuKernels kernels, int threads) {
    if (kernels == CpuKernels.MKL_NATIVE) {
      try {
        MklCpuPath.load();
      } catch (RuntimeException e) {
        LOG.warn("cpu kernels: {}; using onednn-off instead", e.getMessage());
        kernels = CpuKernels.ONEDNN_OFF;
      }
    }
    if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
      System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    }
    if (threads > 0) {
      // Read by DJL when the PyTorch engine starts.
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    ai.djl.engine.Engine.getEngine("PyTorch");
    if (kernels == CpuKernels.ONEDNN_OFF || kernels == CpuKernels.MKL_NATIVE) {
      setOneDnn(false);
    }
    return kernels;
  }

  /** libtorch's {@code at::globalContext().setUserEnabledMkldnn(on)}; checks it took effect. */
  static void setOneDnn(boolean on) {
    NativeLibrary torch = NativeLibrary.getInstance(libtorch("libtorch_cpu.so"));
    try {
      Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
      torch.getFunction(SET_MKLDNN).invokeVoid(new Object[] {context, on});
      boolean now = (torch.getFunction(GET_MKLDNN).invokeInt(new Object[] {context}) & 0xff) != 0;
      if (now != on) {
        throw new IllegalStateException("libtorch kept oneDNN " + (now ? "on" : "off"));
      }
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException(
          "cannot switch oneDNN off in this libtorch ("
              + e.getMessage()
              + "); set engine.cpuKernels to auto, sse41 or native",
          e);
    }
  }

  /**
   * Sets libc10's log threshold to ERROR. libtorch reads no environment variable for it outside
   * Python, so we write its flag; call after the PyTorch engine has loaded libc10.
   */
  static void quietNativeWarnings() {
    try {
      NativeLibrary.getInstance(libtorch("libc10.so"))
          .getGlobalVariableAddress("FLAGS_caffe2_log_level")
          .setInt(0, C10_ERROR);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      LOG.debug("libtorch warnings stay on: {}", e.toString());
    }
  }

  private static String libtorch(String file) {
    return Path.of(LibUtils.getLibtorchPath()).resolve(file).toString();
  }

  private interface CLibrary extends Library {
    CLibrary INSTANCE = Native.load("c", CLibrary.class);

    int setenv(String name, String value, int overwrite);
  }
}
