package org.imaginebot.limits;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
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
    int gpuConcurrency,
    int dailyImagesPerUser,
    String quotaResetTime) {

  public LimitsConfig {
    try {
      quotaResetAt(quotaResetTime);
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
          gpuConcurrency,
          dailyImagesPerUser);
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
        gpuConcurrency,
        dailyImagesPerUser);
  }

  /** When (UTC) each day's image quota starts again. */
  public LocalTime quotaResetAt() {
    return quotaResetAt(quotaResetTime);
  }

  private static LocalTime quotaResetAt(String text) {
    try {
      return LocalTime.parse(text == null ? "" : text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "limits.quotaResetTime must be a UTC time of day as HH:mm, such as 00:00 or 06:30, got '"
              + text
              + "'",
          e);
    }
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
      int gpuConcurrency,
      int dailyImagesPerUser) {
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
    values.put("dailyImagesPerUser", Integer.toString(dailyImagesPerUser));
    return ScopeSettings.fromValues(values);
  }
}
