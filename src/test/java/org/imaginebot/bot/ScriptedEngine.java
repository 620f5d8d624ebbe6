package org.imaginebot.bot;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;

/**
 * A stand-in for the GPU whose pace the test sets: each step waits for a permit from {@link #steps}
 * when gated, then reports progress and checks cancellation like the real engine. The image is a
 * real PNG whose colour follows the seed. Used where a test must hold a job running; the real
 * engine runs in {@code BotCoreEngineTest}.
 */
class ScriptedEngine implements Engine {

  final Semaphore steps = new Semaphore(0);
  final AtomicInteger calls = new AtomicInteger();
  final Set<String> runningPrompts = ConcurrentHashMap.newKeySet();
  private volatile boolean gated;
  private volatile Duration stepTime = Duration.ZERO;

  ScriptedEngine gated() {
    gated = true;
    return this;
  }

  ScriptedEngine stepTime(Duration time) {
    stepTime = time;
    return this;
  }

  /** Lets every held and future step run. */
  void open() {
    gated = false;
    steps.release(1_000_000);
  }

  @Override
  public GenerationResult generate(
      GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
    calls.incrementAndGet();
    String prompt = request.prompts().get(0).text();
    runningPrompts.add(prompt);
    try {
      for (int step = 1; step <= request.steps(); step++) {
        if (gated) {
          try {
            while (gated && !steps.tryAcquire(10, TimeUnit.MILLISECONDS)) {
              cancel.throwIfCancelled(step);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
        sleep(stepTime);
        cancel.throwIfCancelled(step);
        listener.onProgress(
            new Progress(
                step,
                request.steps(),
                1.0 / step,
                0.1 * step,
                step == request.steps() ? image(request) : null));
      }
      return new GenerationResult(
          image(request), 0.5, request.steps(), 0.1, request.steps(), Duration.ofMillis(5));
    } finally {
      runningPrompts.remove(prompt);
    }
  }

  static byte[] image(GenerationRequest request) {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    int rgb = (int) (request.seed() * 2654435761L) & 0xFFFFFF;
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return Png.encode(image);
  }

  private static void sleep(Duration d) {
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {}
}
