package org.imaginebot.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.Requester;
import org.imaginebot.bot.Submission;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.Progress;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.request.GenerationRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code submit}: puts one job on a cluster's shared queue, as a bot node would, without any chat
 * platform; with {@code --wait} it follows the job (progress bar) and writes the image.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Queues one image job on the shared queue of a cluster (Redis + PostgreSQL), for operators",
      "and tests; a worker (serve --role worker) makes it. --wait follows it and writes the PNG."
    },
    footer = {
      "",
      "Example:",
      "  imagine-bot submit \"a lighthouse\" --model tiny --steps 20 --seed 1 --redis redis://127.0.0.1:6379/0 --wait --out out.png"
    })
final class SubmitCommand implements Callable<Integer> {

  @Mixin RequestOptions what;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description = "The cluster's Redis, e.g. redis://127.0.0.1:6379/0 (default: redis.url).")
  String redisUrl;

  @Option(
      names = "--wait",
      description = "Wait for the image (progress bar) and write it to --out.")
  boolean await;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "out.png",
      description = "Where --wait writes the PNG (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--user",
      paramLabel = "ID",
      defaultValue = "cli",
      description = "Whose job it is, for fairness and limits (default: ${DEFAULT-VALUE}).")
  String user;

  @Mixin ConfigOptions configOptions;

  private final Map<String, String> env;
  private final PrintStream stdout;
  private final boolean terminal;

  SubmitCommand(Map<String, String> env, PrintStream stdout, boolean terminal) {
    this.env = env;
    this.stdout = stdout;
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Map<String, String> extra = new LinkedHashMap<>();
    if (redisUrl != null) {
      extra.put("redis.url", redisUrl);
    }
    // A node of its own, so no bot node's relay takes this job's events.
    extra.put("redis.nodeId", "submit-" + UUID.randomUUID().toString().substring(0, 8));
    AppConfig config = configOptions.load(env, extra);
    if (!config.redis().configured()) {
      throw new IllegalStateException(
          "submit puts the job on a cluster's shared queue: give --redis URL or set"
              + " IMAGINE_REDIS_URL (e.g. redis://127.0.0.1:6379/0)");
    }
    GenerationRequest request =
        what.request(config.engine(), config.cache().seedFromPrompt(), "give a PROMPT");
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    manifest.require(request.model());
    if (await) {
      OutputFiles.checkWritable(out);
    }
    CompletableFuture<CachedImage> done = new CompletableFuture<>();
    // a bot node of its own: it never starts the engine, only computes cache keys from the manifest
    try (BotApplication app = BotApplication.open(config, Role.BOT)) {
      Submission submission =
          app.imagine().submit(new Requester(user, "cli", null, "cli"), request, listener(done));
      if (submission instanceof Submission.Refused refused) {
        stdout.println("refused: " + refused.refusal().message());
        return ExitCodes.USAGE;
      }
      if (submission instanceof Submission.Cached cached) {
        return written(cached.image(), true);
      }
      Submission.Queued queued = (Submission.Queued) submission;
      stdout.printf(
          Locale.ROOT,
          "queued job %s at place %d on %s: \"%s\", %s on %s, %d steps, seed %d%n",
          queued.jobId(),
          queued.position(),
          config.redis().redactedUrl(),
          request.describePrompt(),
          request.strategy().id(),
          request.model(),
          request.steps(),
          request.seed());
      if (!await) {
        return ExitCodes.OK;
      }
      try {
        return written(done.get(), false);
      } catch (ExecutionException e) {
        stdout.println(e.getCause().getMessage());
        return e.getCause() instanceof CancelledJob ? ExitCodes.CANCELLED : ExitCodes.INTERNAL;
      }
    }
  }

  private int written(CachedImage image, boolean cached) throws IOException {
    if (!await && !cached) {
      return ExitCodes.OK;
    }
    OutputFiles.write(out, image.png());
    stdout.printf(
        Locale.ROOT,
        "%swrote %s (%d bytes): CLIP score %.4f at step %d, seed %d%n",
        cached ? "cached: " : "",
        out,
        image.pngSize(),
        image.clipScore(),
        image.bestStep(),
        image.seed());
    return ExitCodes.OK;
  }

  private JobListener listener(CompletableFuture<CachedImage> done) {
    ProgressBar bar = new ProgressBar(stdout, terminal, System::nanoTime);
    return new JobListener() {
      @Override
      public void queued(int position) {
        if (await && position > 1) {
          stdout.println("waiting: place " + position);
        }
      }

      @Override
      public void started() {
        if (await) {
          stdout.println("started on a worker");
        }
      }

      @Override
      public void progress(Progress progress) {
        if (await) {
          bar.onProgress(progress);
        }
      }

      @Override
      public void finished(CachedImage image, boolean cached) {
        done.complete(image);
      }

      @Override
      public void failed(String message) {
        done.completeExceptionally(new IllegalStateException("failed: " + message));
      }

      @Override
      public void cancelled() {
        done.completeExceptionally(new CancelledJob());
      }
    };
  }

  /** The job was cancelled (by a moderator) while this command waited. */
  private static final class CancelledJob extends RuntimeException {
    CancelledJob() {
      super("cancelled by a moderator");
    }
  }
}
