package org.imaginebot.bot.slack;

import java.time.Duration;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.cache.CachedImage;

/** What the job's message shows at one moment; each new state replaces the one before. */
sealed interface SlackState extends EditPacer.State {

  @Override
  default boolean isFinal() {
    return false;
  }

  record Queued(int position, Duration eta) implements SlackState {}

  /**
   * @param preview the newest preview PNG of the run so far; null before the first
   */
  record Running(int step, int total, double loss, Duration eta, byte[] preview)
      implements SlackState {}

  /**
   * @param withTimelapse the run's previews are kept, so the message offers a Timelapse button
   */
  record Finished(CachedImage image, boolean cached, boolean withTimelapse) implements SlackState {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  record Failed(String message) implements SlackState {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  record Cancelled() implements SlackState {
    @Override
    public boolean isFinal() {
      return true;
    }
  }
}
