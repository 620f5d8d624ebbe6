package org.imaginebot.worker;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the threads that run the engine ({@code worker.engineNice}), so that
 * on a CPU shared with the chat adapters an interaction is answered at once rather than after the
 * engine's time slices: on Linux the calling thread's nice value is raised, and the threads
 * libtorch's OpenMP starts from it later inherit it. Raising one's own nice value needs no
 * privilege; elsewhere, or when the C library lacks the calls, nothing changes.
 */
final class EnginePriority {

  private static final Logger LOG = LoggerFactory.getLogger(EnginePriority.class);

  /** {@code PRIO_PROCESS}: with a thread id, setpriority acts on that one thread on Linux. */
  private static final int PRIO_PROCESS = 0;

  private static final boolean LINUX =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

  private EnginePriority() {}

  /**
   * Sets the calling thread's nice value to {@code nice} (0 leaves it as it is).
   *
   * @return whether it was set
   */
  static boolean lowerCurrentThread(int nice) {
    if (nice == 0 || !LINUX) {
      return false;
    }
    try {
      if (LibC.INSTANCE.setpriority(PRIO_PROCESS, LibC.INSTANCE.gettid(), nice) == 0) {
        return true;
      }
      LOG.warn(
          "could not lower the engine thread's priority to nice {} (errno {}); it runs at the"
              + " bot's priority",
          nice,
          Native.getLastError());
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.warn(
          "could not lower the engine thread's priority ({}); it runs at the bot's priority",
          e.toString());
    }
    return false;
  }

  /** A thread factory's body: lower the priority, then run. */
  static Runnable lowered(int nice, Runnable body) {
    return () -> {
      lowerCurrentThread(nice);
      body.run();
    };
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int gettid();

    int setpriority(int which, int who, int prio);
  }
}
