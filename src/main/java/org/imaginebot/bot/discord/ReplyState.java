package org.imaginebot.bot.discord;

import java.time.Duration;
import org.imaginebot.bot.EditPacer;
import org.imaginebot.cache.CachedImage;

/** What a reply shows at one moment; each new state replaces the one before. */
sealed interface ReplyState extends EditPacer.State {

  /** Whether this state ends the job (it is always delivered, never dropped). */
  @Override
  default boolean isFinal() {
    return false;
  }

  record Queued(int position, Duration eta) implements ReplyState {}

  record Running(int step, int total, double loss, Duration eta, byte[] previewPng)
      implements ReplyState {}

  /** The image; {@code withTimelapse} when the run's previews are kept for a Timelapse button. */
  record Finished(CachedImage image, boolean cached, boolean withTimelapse) implements ReplyState {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  record Failed(String message) implements ReplyState {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  record Cancelled() implements ReplyState {
    @Override
    public boolean isFinal() {
      return true;
    }
  }
}
