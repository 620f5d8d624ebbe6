package org.imaginebot.settings;

/**
 * Told after each change of a scope's settings, so that limiters and queues can be resized at once.
 *
 * <p>Called on the thread that made the change, after it is stored, one change at a time and in the
 * order the changes were made. Keep it quick; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface SettingsListener {

  /** The scope's settings are now {@code settings}. */
  void changed(String scopeId, ScopeSettings settings);
}
