package org.imaginebot.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.Requester;
import org.imaginebot.bot.Submission;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/** What the benches that run whole jobs through serve's core share. */
final class BenchJobs {

  private BenchJobs() {}

  /** An {@code adam} job of the benches' prompt. */
  static GenerationRequest request(String model, int steps, long seed) {
    return new GenerationRequest(
        List.of(new WeightedPrompt("a lighthouse in a storm", 1.0)),
        model,
        Strategy.ADAM,
        steps,
        seed);
  }

  /**
   * Submits {@code request} as {@code requester} and waits for its image.
   *
   * @throws IllegalStateException when it was not queued (a seed asked for before is a cache hit,
   *     not a job), failed or took more than 10 minutes
   */
  static void run(BotApplication app, Requester requester, GenerationRequest request) {
    CompletableFuture<CachedImage> done = new CompletableFuture<>();
    Submission submission =
        app.imagine()
            .submit(
                requester,
                request,
                new JobListener() {
                  @Override
                  public void finished(CachedImage image, boolean cached) {
                    done.complete(image);
                  }

                  @Override
                  public void failed(String message) {
                    done.completeExceptionally(new IllegalStateException(message));
                  }
                });
    if (!(submission instanceof Submission.Queued)) {
      throw new IllegalStateException("the bench job was not queued: " + submission);
    }
    try {
      done.get(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("a bench job did not finish: " + e.getMessage(), e);
    }
  }

  /** The median of {@code values} (the mean of the middle two for an even count), to 3 decimals. */
  static double median(List<Double> values) {
    List<Double> sorted = new java.util.ArrayList<>(values);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    double middle =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return Math.round(middle * 1000) / 1000.0;
  }

  /**
   * Prints the result line, and writes it to {@code file} too when one is given (its folder made
   * when missing).
   */
  static void emit(PrintWriter out, String line, Path file) throws IOException {
    out.println(line);
    out.flush();
    if (file != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, line + "\n");
    }
  }

  /** Removes a bench's temporary folder and everything in it. */
  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
