package org.imaginebot.config;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of the configuration, read from the config records: a record component whose type is a
 * record is a section, any other is a value. So a new section needs no change here.
 */
public final class ConfigKeys {

  public static final String ROOT = "";

  private final Map<String, List<String>> sections = new LinkedHashMap<>();
  private final Map<String, Class<?>> values = new LinkedHashMap<>();

  private ConfigKeys(Class<? extends Record> root) {
    addSection(ROOT, root);
  }

  public static ConfigKeys of(Class<? extends Record> root) {
    return new ConfigKeys(root);
  }

  private void addSection(String section, Class<?> type) {
    List<String> children = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      children.add(component.getName());
      String key = join(section, component.getName());
      if (component.getType().isRecord()) {
        addSection(key, component.getType());
      } else {
        values.put(key, component.getType());
      }
    }
    sections.put(section, Collections.unmodifiableList(children));
  }

  /** Every value key, e.g. {@code engine.maxSteps}, in declaration order. */
  public List<String> valueKeys() {
    return List.copyOf(values.keySet());
  }

  public boolean isValue(String key) {
    return values.containsKey(key);
  }

  public boolean isSection(String key) {
    return sections.containsKey(key);
  }

  /** The names directly under {@code section} ({@link #ROOT} for the top level). */
  public List<String> children(String section) {
    return sections.getOrDefault(section, List.of());
  }

  /** What a value of {@code key} must be, for messages: "an integer", "a path". */
  public String expected(String key) {
    Class<?> type = values.get(key);
    return type == null ? "a mapping of " + String.join(", ", children(key)) : expected(type);
  }

  /** What a value of {@code type} must be, for messages: "an integer", "a path". */
  public static String expected(Class<?> type) {
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "an integer";
    } else if (type == double.class || type == float.class || type == Double.class) {
      return "a number";
    } else if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    } else if (type == Path.class) {
      return "a path";
    } else if (type == Duration.class) {
      return "an ISO-8601 duration such as P7D or PT12H";
    } else if (type == String.class) {
      return "a string";
    } else if (type.isEnum()) {
      return "one of "
          + String.join(
              ", ",
              Arrays.stream(type.getEnumConstants())
                  .map(c -> c.toString().toLowerCase(Locale.ROOT))
                  .toList());
    } else if (type.isRecord()) {
      return "a mapping of "
          + String.join(
              ", ",
              Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
    } else if (Map.class.isAssignableFrom(type)) {
      return "a mapping";
    } else if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a " + type.getSimpleName();
  }

  /**
   * Why {@code key} is not a value key, ending with the keys that are known where it was looked
   * for: {@code unknown key 'engine.maxStep' in --set; known keys of engine: manifest, ...}.
   */
  public String unknown(String key, String source) {
    if (isSection(key)) {
      return "'"
          + key
          + "' in "
          + source
          + " is a section, not a key; known keys of "
          + key
          + ": "
          + String.join(", ", children(key));
    }
    String section = parent(key);
    while (!isSection(section)) {
      section = parent(section);
    }
    String known =
        section.equals(ROOT)
            ? "known sections: " + String.join(", ", children(ROOT))
            : "known keys of " + section + ": " + String.join(", ", children(section));
    return "unknown key '" + key + "' in " + source + "; " + known;
  }

  /** The value key a validation message starts with, e.g. {@code engine.maxSteps}, or null. */
  public String keyNamedBy(String message) {
    String found = null;
    for (String key : values.keySet()) {
      if (message.startsWith(key + " ") && (found == null || key.length() > found.length())) {
        found = key;
      }
    }
    return found;
  }

  /** {@code engine.defaultModel} -> {@code IMAGINE_ENGINE_DEFAULT_MODEL}. */
  public static String envName(String key) {
    StringBuilder sb = new StringBuilder("IMAGINE_");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '-') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  public static String join(String section, String name) {
    return section.equals(ROOT) ? name : section + "." + name;
  }

  private static String parent(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? ROOT : key.substring(0, dot);
  }
}
