package org.imaginebot.bot;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;

/**
 * A guild's part of the queue as a moderator sees it.
 *
 * @param paused whether this guild's jobs are held
 * @param running its jobs on the GPU now
 * @param waiting its queued jobs in the order they will run
 */
public record QueueView(boolean paused, List<Entry> running, List<Entry> waiting) {

  public QueueView {
    running = List.copyOf(running);
    waiting = List.copyOf(waiting);
  }

  /**
   * One job.
   *
   * @param position place in the whole queue (other guilds' jobs included), 0 when running
   */
  public record Entry(
      JobId id,
      String userId,
      String prompt,
      int steps,
      String model,
      int position,
      Instant enqueuedAt) {
    public Entry {
      Objects.requireNonNull(id, "id");
    }

    /** {@code job} at {@code position} (0: running). */
    static Entry of(Job job, int position) {
      return new Entry(
          job.id(),
          job.userId(),
          job.request().describePrompt(),
          job.request().steps(),
          job.request().model(),
          position,
          job.enqueuedAt());
    }
  }
}
