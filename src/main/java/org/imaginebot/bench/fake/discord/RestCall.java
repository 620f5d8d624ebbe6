package org.imaginebot.bench.fake.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One REST request the fake received, with the status it answered.
 *
 * <p>{@code path} is relative to {@code /api/v10/} and has no query ({@code
 * "webhooks/1/tok/messages/@original"}); {@code query} is the raw query or "" ; {@code atNanos} is
 * {@link System#nanoTime()} when the request arrived; {@code authorization} is the Authorization
 * header or null.
 */
public record RestCall(
    String method,
    String path,
    String contentType,
    byte[] body,
    long atNanos,
    int status,
    String query,
    String authorization) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public RestCall {
    body = body == null ? new byte[0] : body;
    query = query == null ? "" : query;
  }

  /** Whether the body is multipart/form-data (a message with files). */
  public boolean isMultipart() {
    return Multipart.isMultipart(contentType);
  }

  /**
   * The JSON body, or for a multipart body its {@code payload_json} part; a missing node when there
   * is none.
   */
  public JsonNode json() {
    byte[] jsonBytes = body;
    if (isMultipart()) {
      jsonBytes =
          Multipart.parse(contentType, body).stream()
              .filter(p -> "payload_json".equals(p.name()))
              .map(Multipart.Part::data)
              .findFirst()
              .orElse(null);
    }
    if (jsonBytes == null || jsonBytes.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(jsonBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("body of " + method + " " + path + " is not JSON", e);
    }
  }

  /** The multipart {@code files[n]} parts by filename, in order; empty for a JSON body. */
  public Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (isMultipart()) {
      for (Multipart.Part part : Multipart.parse(contentType, body)) {
        if (part.name() != null && part.name().startsWith("files[")) {
          files.put(part.filename(), part.data());
        }
      }
    }
    return files;
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status;
  }
}
