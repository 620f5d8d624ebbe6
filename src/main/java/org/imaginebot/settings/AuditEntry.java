package org.imaginebot.settings;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of one setting in one scope, kept so moderators can see who changed what and when.
 *
 * <p>Values are canonical text ({@link ScopeSettings#value(Setting)}); a reset records the default
 * as the new value.
 */
public record AuditEntry(
    String scopeId, String actorId, Setting setting, String oldValue, String newValue, Instant at) {

  public AuditEntry {
    Objects.requireNonNull(scopeId, "scopeId");
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(setting, "setting");
    Objects.requireNonNull(oldValue, "oldValue");
    Objects.requireNonNull(newValue, "newValue");
    Objects.requireNonNull(at, "at");
  }
}
