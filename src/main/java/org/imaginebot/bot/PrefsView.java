package org.imaginebot.bot;

import java.util.Objects;
import org.imaginebot.request.RequestBounds;

/**
 * A user's saved defaults in one scope beside what a request that leaves those options out gets
 * now: a saved model or strategy the scope no longer allows is not used, and saved steps above the
 * scope's limit are cut to it.
 *
 * @param saved what the user saved with {@code /imagine-prefs}
 * @param applied the defaults a request of this user gets in this scope now, and the limits
 */
public record PrefsView(UserPrefs saved, RequestBounds applied) {

  public PrefsView {
    Objects.requireNonNull(saved, "saved");
    Objects.requireNonNull(applied, "applied");
  }
}
