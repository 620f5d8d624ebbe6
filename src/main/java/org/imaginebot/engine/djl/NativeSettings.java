package org.imaginebot.engine.djl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings that keep libtorch 2.7.1 (DJL's PyTorch engine) numerically right for latent
 * optimization; applied once, before the first model runs.
 *
 * <p>Both were found by the Big Sleep fidelity test and measured on this project's AMD EPYC
 * (AVX-512) machines against numpy and torch 1.13:
 * <ul>
 *   <li>oneDNN's convolutions are wrong there with its AVX-512 kernels (a 3x3 convolution at 64x64
 *       was 7% off, and changed with the thread count) and give NaN gradients with its AVX2 ones;
 *       its SSE4.1 kernels are exact. oneDNN reads {@code DNNL_MAX_CPU_ISA} when it first builds a
 *       kernel, so we set it in our own environment unless the operator set it. GPUs are unaffected.
 *   <li>TorchScript's profiling graph executor dropped the gradient through CLIP on the first
 *       call of a module that records a graph; DJL turns it off per thread when
 *       {@code ai.djl.pytorch.graph_optimizer=false}.
 * </ul>
 */
final class NativeSettings {

  static final String ISA_VARIABLE = "DNNL_MAX_CPU_ISA";
  static final String SAFE_ISA = "SSE41";
  private static final Logger log = LoggerFactory.getLogger(NativeSettings.class);
  private static volatile boolean applied;

  private NativeSettings() {}

  static void apply() {
    if (applied) {
      return;
    }
    synchronized (NativeSettings.class) {
      if (!applied) {
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        String own = System.getenv(ISA_VARIABLE);
        if (own == null) {
          CLibrary.INSTANCE.setenv(ISA_VARIABLE, SAFE_ISA, 0);
        } else {
          log.warn("{}={} from the environment: CPU results may be wrong above {}", ISA_VARIABLE, own, SAFE_ISA);
        }
        applied = true;
      }
    }
  }

  private interface CLibrary extends Library {
    CLibrary INSTANCE = Native.load("c", CLibrary.class);

    int setenv(String name, String value, int overwrite);
  }
}
