package org.imaginebot.bot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The files the bot shared into each reply's thread (the image, timelapses), by the reference the
 * reply's buttons carry, so Delete can remove them with the message ({@code files.delete}). In
 * memory only, for a week (as long as buttons work by default), bounded by count: after a restart
 * Delete removes the message and says its thread's files stay.
 */
final class ThreadFiles {

  private static final int MAX_REPLIES = 100_000;

  private final Cache<String, List<String>> files =
      Caffeine.newBuilder().maximumSize(MAX_REPLIES).expireAfterWrite(Duration.ofDays(7)).build();

  /** {@code fileId} went into the thread of the reply {@code ref}; nulls are ignored. */
  void add(String ref, String fileId) {
    if (ref == null || fileId == null) {
      return;
    }
    files
        .asMap()
        .compute(
            ref,
            (key, known) -> {
              List<String> all = known == null ? new ArrayList<>() : new ArrayList<>(known);
              all.add(fileId);
              return List.copyOf(all);
            });
  }

  /** The files known in the thread of {@code ref}, forgotten now; empty when none are known. */
  List<String> take(String ref) {
    List<String> known = ref == null ? null : files.asMap().remove(ref);
    return known == null ? List.of() : known;
  }
}
