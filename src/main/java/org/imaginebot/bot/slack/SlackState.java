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

  record Running(int step, int total, double loss, Duration eta) implements SlackState {}

  record Finished(CachedImage image, boolean cached) implements SlackState {
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
