package org.imaginebot.settings;

import java.util.LinkedHashMap;
import java.util.Map;

/** Default settings as config would give them. */
final class Defaults {

  private Defaults() {}

  static Map<String, String> texts() {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("maxQueuedPerUser", "3");
    texts.put("requestsPerMinute", "10");
    texts.put("scopeRequestsPerMinute", "100");
    texts.put("maxSteps", "500");
    texts.put("maxSize", "512");
    texts.put("strategies", "*");
    texts.put("models", "*");
    texts.put("bannedWords", "none");
    texts.put("channels", "*");
    texts.put("gpuConcurrency", "2");
    texts.put("dailyImagesPerUser", "0");
    return texts;
  }

  static ScopeSettings settings() {
    return ScopeSettings.fromValues(texts());
  }
}
