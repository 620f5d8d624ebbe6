package org.imaginebot.engine.djl;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide libtorch settings, applied once before the PyTorch engine starts.
 *
 * <p>oneDNN's convolutions in libtorch 2.7.1 are wrong on this project's AMD EPYC (AVX-512)
 * machines with its AVX-512 kernels (a 3x3 convolution at 64x64 was 7% off against numpy and torch
 * 1.13, and changed with the thread count) and give NaN gradients with its AVX2 ones; its SSE4.1
 * kernels are exact and deterministic. oneDNN reads {@code DNNL_MAX_CPU_ISA} when it first builds a
 * kernel, so we set it in our own environment unless the operator set it. GPUs are unaffected.
 * Found by the Big Sleep fidelity test.
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
  private static final int C10_ERROR = 2;
  private static final Logger LOG = LoggerFactory.getLogger(NativeSettings.class);
  private static volatile boolean applied;

  private NativeSettings() {}

  static void apply() {
    if (applied) {
      return;
    }
    synchronized (NativeSettings.class) {
      if (!applied) {
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
          System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        String own = System.getenv(ISA_VARIABLE);
        if (own == null) {
          CLibrary.INSTANCE.setenv(ISA_VARIABLE, SAFE_ISA, 0);
        } else {
          LOG.warn(
              "{}={} from the environment: CPU results may be wrong above {}",
              ISA_VARIABLE,
              own,
              SAFE_ISA);
        }
        applied = true;
      }
    }
  }

  /**
   * Sets libc10's log threshold to ERROR. libtorch reads no environment variable for it outside
   * Python, so we write its flag; call after the PyTorch engine has loaded libc10.
   */
  static void quietNativeWarnings() {
    try {
      Path c10 = Path.of(LibUtils.getLibtorchPath()).resolve("libc10.so");
      NativeLibrary.getInstance(c10.toString())
          .getGlobalVariableAddress("FLAGS_caffe2_log_level")
          .setInt(0, C10_ERROR);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      LOG.debug("libtorch warnings stay on: {}", e.toString());
    }
  }

  private interface CLibrary extends Library {
    CLibrary INSTANCE = Native.load("c", CLibrary.class);

    int setenv(String name, String value, int overwrite);
  }
}
