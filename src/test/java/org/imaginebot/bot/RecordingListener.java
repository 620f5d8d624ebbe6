package org.imaginebot.bot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.Progress;

/** Records what a requester hears, in order; {@link #end} completes with the last word. */
final class RecordingListener implements JobListener {

  /** How a request ended. */
  record End(String kind, CachedImage image, boolean cached, String message) {}

  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Integer> positions = new CopyOnWriteArrayList<>();
  final CompletableFuture<Void> started = new CompletableFuture<>();
  final CompletableFuture<End> end = new CompletableFuture<>();

  @Override
  public void queued(int position) {
    positions.add(position);
    events.add("queued " + position);
  }

  @Override
  public void started() {
    events.add("started");
    started.complete(null);
  }

  @Override
  public void progress(Progress progress) {
    events.add("step " + progress.step());
  }

  @Override
  public void finished(CachedImage image, boolean cached) {
    events.add(cached ? "finished cached" : "finished");
    end.complete(new End("finished", image, cached, null));
  }

  @Override
  public void failed(String message) {
    events.add("failed");
    end.complete(new End("failed", null, false, message));
  }

  @Override
  public void cancelled() {
    events.add("cancelled");
    end.complete(new End("cancelled", null, false, null));
  }

  End awaitEnd() throws Exception {
    return end.get(20, TimeUnit.SECONDS);
  }

  void awaitStarted() throws Exception {
    started.get(20, TimeUnit.SECONDS);
  }
}
