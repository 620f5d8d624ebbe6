package org.imaginebot.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine threads' nice value, read back from Linux's /proc for the thread itself. */
final class EnginePriorityTest {

  @Test
  void lowered_runsTheBodyAtTheNiceValue_andLeavesOtherThreadsAlone() throws InterruptedException {
    int before = niceOfThisThread();

    assertThat(niceSeenInThreadLowered(10)).isEqualTo(10);
    assertThat(niceOfThisThread()).isEqualTo(before);
  }

  @Test
  void lowered_zero_keepsTheCreatorsPriority() throws InterruptedException {
    assertThat(niceSeenInThreadLowered(0)).isEqualTo(niceOfThisThread());
  }

  @Test
  void workerConfig_refusesANiceValueOutside0To19() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WorkerConfig(1, Duration.ofMinutes(10), Duration.ofSeconds(30), 20))
        .withMessage("worker.engineNice must be between 0 and 19, got 20");
  }

  private static int niceSeenInThreadLowered(int nice) throws InterruptedException {
    AtomicInteger seen = new AtomicInteger(-100);
    Thread engine = new Thread(EnginePriority.lowered(nice, () -> seen.set(niceOfThisThread())));
    engine.start();
    engine.join();
    return seen.get();
  }

  /** Field 19 of /proc/thread-self/stat, after the command name in parentheses. */
  private static int niceOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[16]); // fields[0] is field 3, the state
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
