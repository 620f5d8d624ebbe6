package org.imaginebot.limits;

import java.util.LinkedHashMap;
import java.util.Map;
import org.imaginebot.settings.ScopeSettings;
import org.imaginebot.settings.SettingException;

/**
 * The {@code limits} section: the live settings every guild/workspace starts with, until its
 * moderators change them with {@code /imagine-admin set}. Lists are comma-separated; {@code *}
 * allows all, {@code none} bans no words. The rules are the settings' own (see {@code Setting}).
 */
public record LimitsConfig(
    int maxQueuedPerUser,
    int requestsPerMinute,
    int scopeRequestsPerMinute,
    int maxSteps,
    int maxSize,
    String strategies,
    String models,
    String bannedWords,
    String channels,
    int gpuConcurrency) {

  public LimitsConfig {
    try {
      toScopeSettings(
          maxQueuedPerUser,
          requestsPerMinute,
          scopeRequestsPerMinute,
          maxSteps,
          maxSize,
          strategies,
          models,
          bannedWords,
          channels,
          gpuConcurrency);
    } catch (SettingException e) {
      throw new IllegalArgumentException("limits." + e.getMessage(), e);
    }
  }

  /** These defaults as live settings. */
  public ScopeSettings toScopeSettings() {
    return toScopeSettings(
        maxQueuedPerUser,
        requestsPerMinute,
        scopeRequestsPerMinute,
        maxSteps,
        maxSize,
        strategies,
        models,
        bannedWords,
        channels,
        gpuConcurrency);
  }

  private static ScopeSettings toScopeSettings(
      int maxQueuedPerUser,
      int requestsPerMinute,
      int scopeRequestsPerMinute,
      int maxSteps,
      int maxSize,
      String strategies,
      String models,
      String bannedWords,
      String channels,
      int gpuConcurrency) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("maxQueuedPerUser", Integer.toString(maxQueuedPerUser));
    values.put("requestsPerMinute", Integer.toString(requestsPerMinute));
    values.put("scopeRequestsPerMinute", Integer.toString(scopeRequestsPerMinute));
    values.put("maxSteps", Integer.toString(maxSteps));
    values.put("maxSize", Integer.toString(maxSize));
    values.put("strategies", strategies == null ? "" : strategies);
    values.put("models", models == null ? "" : models);
    values.put("bannedWords", bannedWords == null ? "" : bannedWords);
    values.put("channels", channels == null ? "" : channels);
    values.put("gpuConcurrency", Integer.toString(gpuConcurrency));
    return ScopeSettings.fromValues(values);
  }
}
