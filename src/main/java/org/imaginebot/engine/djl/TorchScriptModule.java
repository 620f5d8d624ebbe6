package org.imaginebot.engine.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One TorchScript file loaded so that gradients can flow through it to its inputs.
 *
 * <p>Loaded with {@code trainParam=true} (otherwise libtorch runs it in inference mode and backward
 * fails) and with every weight frozen, so only the latents we optimize get gradients.
 */
final class TorchScriptModule implements AutoCloseable {

  /** Every module loaded and not closed in this JVM, for {@link #liveArrays()}. */
  private static final Set<TorchScriptModule> LOADED = ConcurrentHashMap.newKeySet();

  private final Model model;
  private final Block block;
  private final String name;

  private TorchScriptModule(Model model, String name) {
    this.model = model;
    this.block = model.getBlock();
    this.name = name;
  }

  static TorchScriptModule load(Path file, Device device) {
    NativeSettings.apply();
    String name = file.getFileName().toString();
    Model model = Model.newInstance(name, device, "PyTorch");
    try {
      model.load(file, null, Map.of("trainParam", "true"));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalStateException(
          "cannot load TorchScript model "
              + file
              + ": "
              + e.getMessage()
              + "; re-export it with the scripts in scripts/ (is it a TorchScript .pt file?)",
          e);
    }
    model.getBlock().freezeParameters(true);
    TorchScriptModule module = new TorchScriptModule(model, name);
    LOADED.add(module);
    return module;
  }

  /**
   * NDArrays held by the managers of every loaded module (their weights, and anything a run left
   * attached to them): flat across runs, or arrays leak.
   */
  static long liveArrays() {
    long arrays = 0;
    for (TorchScriptModule module : LOADED) {
      arrays += module.model.getNDManager().getManagedArrays().size();
    }
    return arrays;
  }

  /** Forward pass that records the autograd graph (call inside {@link Autograd#recording}). */
  NDList forwardWithGrad(NDList inputs) {
    return block.forward(new ParameterStore(inputs.head().getManager(), false), inputs, true);
  }

  /** Forward pass in libtorch inference mode: no graph, less memory, faster. */
  NDList forward(NDList inputs) {
    return block.forward(new ParameterStore(inputs.head().getManager(), false), inputs, false);
  }

  NDManager manager() {
    return model.getNDManager();
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    LOADED.remove(this);
    model.close();
  }
}
