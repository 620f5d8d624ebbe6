package org.imaginebot.cluster;

import java.io.IOException;
import java.nio.file.Path;
import org.imaginebot.bench.RedisProcess;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@link RedisProcess} for a test: a {@code redis-server} of the test's own that it can restart
 * (it comes back empty); skipped, or failed under CI=true, when {@code redis-server} cannot run.
 */
public final class RedisServer implements AutoCloseable {

  private final RedisProcess process;

  private RedisServer(RedisProcess process) {
    this.process = process;
  }

  /** Starts one, or skips (fails under CI=true) when {@code redis-server} is not installed. */
  public static RedisServer start(Path dir) throws IOException, InterruptedException {
    try {
      return new RedisServer(RedisProcess.start(dir));
    } catch (IOException e) {
      String reason = "cannot run redis-server (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(reason + "; under CI=true the Redis restart tests must run", e);
      }
      System.out.println("SKIPPED Redis restart tests: " + reason);
      Assumptions.abort(reason);
      throw e;
    }
  }

  public String url() {
    return process.url();
  }

  /** Stops it (SIGKILL: nothing is saved) and starts it again on the same port, empty. */
  public void restart() throws IOException, InterruptedException {
    process.restart();
  }

  public void stop() throws InterruptedException {
    process.stop();
  }

  @Override
  public void close() {
    process.close();
  }
}
