package org.imaginebot.settings;

import java.util.Optional;

/**
 * A moderator typed an unknown setting or a value it does not accept.
 *
 * <p>The message is meant for the moderator as is: it names the setting, what it accepts and the
 * value given. Nothing is stored or audited when this is thrown.
 */
public final class SettingException extends IllegalArgumentException {

  private final Setting setting;

  SettingException(Setting setting, String message) {
    super(message);
    this.setting = setting;
  }

  /** The setting whose value was refused; empty when the setting id itself was unknown. */
  public Optional<Setting> setting() {
    return Optional.ofNullable(setting);
  }
}
