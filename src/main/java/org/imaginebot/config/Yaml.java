package org.imaginebot.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Reads YAML files into trees and turns Jackson's errors into one-line messages. */
public final class Yaml {

  /** Strict binding: unknown keys, nulls for numbers and 1.5 for an integer are all errors. */
  public static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .addModule(
              new SimpleModule("durations")
                  .addDeserializer(Duration.class, new DurationDeserializer()))
          .build();

  private Yaml() {}

  /**
   * The top-level mapping of {@code file}; an empty file is an empty mapping.
   *
   * @param what what the file is, for messages: "config file", "model manifest"
   */
  public static ObjectNode readMapping(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new ConfigException(what + " " + file + " is a directory, not a YAML file");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          what
              + " "
              + file
              + " is not valid YAML"
              + at(e.getLocation())
              + ": "
              + firstLine(e.getOriginalMessage()),
          e);
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw missing(file, what);
    } catch (IOException e) {
      throw new ConfigException(what + " " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return MAPPER.createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(
          what + " " + file + " must be a YAML mapping, got " + describe(root));
    }
    return (ObjectNode) root;
  }

  private static ConfigException missing(Path file, String what) {
    return new ConfigException(
        what
            + " "
            + file
            + " does not exist (looked in "
            + file.toAbsolutePath().normalize().getParent()
            + ")");
  }

  /** A node as a message shows it: {@code 'abc'}, {@code 12}, {@code a list}, {@code nothing}. */
  public static String describe(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "nothing";
    } else if (node.isObject()) {
      return "a mapping";
    } else if (node.isArray()) {
      return "a list";
    } else if (node.isTextual()) {
      return "'" + node.asText() + "'";
    }
    return node.asText();
  }

  /** The node at the path of a Jackson error, or null. */
  public static JsonNode nodeAt(JsonNode root, JsonMappingException e) {
    JsonNode node = root;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node;
  }

  /** The path of a Jackson error as {@code engine.maxSteps} or {@code models[1].imageSize}. */
  public static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** The first {@link IllegalArgumentException} in the causes of {@code e}, or null. */
  public static IllegalArgumentException invalidValue(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException iae) {
        return iae;
      }
    }
    return null;
  }

  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /**
   * ISO-8601 durations ({@code P7D}, {@code PT12H}) without pulling in jackson-datatype-jsr310; a
   * bad one is a mapping error, so the message names the key like any other bad type.
   */
  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {

    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      String text = p.getText().strip();
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        return (Duration)
            ctxt.handleWeirdStringValue(Duration.class, text, "not an ISO-8601 duration");
      }
    }
  }
}
