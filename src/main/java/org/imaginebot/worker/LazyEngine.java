package org.imaginebot.worker;

import java.util.Objects;
import java.util.function.Supplier;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.engine.RunState;
import org.imaginebot.request.GenerationRequest;

/**
 * An engine made on its first use, so that a process answering only from the cache never loads
 * libtorch or a model.
 */
public final class LazyEngine implements Engine {

  private final Supplier<? extends Engine> factory;
  private Engine engine;
  private boolean closed;

  public LazyEngine(Supplier<? extends Engine> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  @Override
  public GenerationResult generate(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    return engine().generate(request, listener, cancel);
  }

  @Override
  public GenerationResult resume(
      GenerationRequest request,
      RunState state,
      int moreSteps,
      ProgressListener listener,
      CancellationSignal cancel) {
    return engine().resume(request, state, moreSteps, listener, cancel);
  }

  /** True once the engine has been made. */
  public synchronized boolean started() {
    return engine != null;
  }

  private synchronized Engine engine() {
    if (closed) {
      throw new IllegalStateException("the engine is closed");
    }
    if (engine == null) {
      engine = Objects.requireNonNull(factory.get(), "engine factory returned null");
    }
    return engine;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (engine != null) {
      engine.close();
    }
  }
}
