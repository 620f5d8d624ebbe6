package org.imaginebot.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.cache.CoalescingRunner.Outcome;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobState;
import org.imaginebot.queue.RequestJson;
import org.imaginebot.worker.JobEvents;
import org.imaginebot.worker.JobEvents.JobFailure;

/**
 * What a worker tells the bot node that asked for a job, as JSON on pub/sub: one message per {@link
 * JobEvents} call, the job itself in each (so any node can deliver it), images as base64.
 */
final class JobMessages {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder UNB64 = Base64.getDecoder();

  private JobMessages() {}

  static String started(Job job) {
    return write(message("started", job));
  }

  static String progress(Job job, Progress p) {
    ObjectNode m = message("progress", job);
    m.put("step", p.step())
        .put("total", p.total())
        .put("loss", p.loss())
        .put("clip", p.clipScore());
    if (p.hasPreview()) {
      m.put("preview", B64.encodeToString(p.previewPng()));
    }
    return write(m);
  }

  static String finished(Job job, Outcome outcome) {
    ObjectNode m = message("finished", job);
    CachedImage i = outcome.image();
    m.put("cached", outcome.cached()).put("shared", outcome.shared());
    m.putObject("image")
        .put("png", B64.encodeToString(i.png()))
        .put("clipScore", i.clipScore())
        .put("bestStep", i.bestStep())
        .put("steps", i.steps())
        .put("seed", i.seed())
        .put("model", i.model())
        .put("strategy", i.strategy())
        .put("createdAt", i.createdAt().toEpochMilli())
        .put("millis", i.generationMillis());
    return write(m);
  }

  static String failed(Job job, JobFailure failure, String text) {
    return write(message("failed", job).put("failure", failure.name()).put("text", text));
  }

  static String cancelled(Job job) {
    return write(message("cancelled", job));
  }

  /** Calls the {@link JobEvents} method the message stands for. */
  static void deliver(String json, JobEvents to) {
    JsonNode m;
    try {
      m = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a job message: " + e.getOriginalMessage(), e);
    }
    Job job = job(m.get("job"));
    switch (m.get("type").asText()) {
      case "started" -> to.started(job);
      case "progress" ->
          to.progress(
              job,
              new Progress(
                  m.get("step").asInt(),
                  m.get("total").asInt(),
                  m.get("loss").asDouble(),
                  m.get("clip").asDouble(),
                  m.has("preview") ? UNB64.decode(m.get("preview").asText()) : null));
      case "finished" ->
          to.finished(
              job,
              new Outcome(
                  image(m.get("image")), m.get("cached").asBoolean(), m.get("shared").asBoolean()));
      case "failed" ->
          to.failed(job, JobFailure.valueOf(m.get("failure").asText()), m.get("text").asText());
      case "cancelled" -> to.cancelled(job);
      default -> throw new IllegalArgumentException("unknown job message " + m.get("type"));
    }
  }

  private static CachedImage image(JsonNode i) {
    return new CachedImage(
        UNB64.decode(i.get("png").asText()),
        i.get("clipScore").asDouble(),
        i.get("bestStep").asInt(),
        i.get("steps").asInt(),
        i.get("seed").asLong(),
        i.get("model").asText(),
        i.get("strategy").asText(),
        Instant.ofEpochMilli(i.get("createdAt").asLong()),
        i.get("millis").asLong());
  }

  private static ObjectNode message(String type, Job job) {
    ObjectNode m = MAPPER.createObjectNode().put("type", type);
    m.putObject("job")
        .put("id", job.id().value())
        .put("user", job.userId())
        .put("scope", job.scopeId())
        .put("at", job.enqueuedAt().toEpochMilli())
        .put("state", job.state().name())
        .set("request", RequestJson.tree(job.request()));
    return m;
  }

  private static Job job(JsonNode j) {
    return new Job(
        new JobId(j.get("id").asText()),
        j.get("user").asText(),
        j.get("scope").asText(),
        RequestJson.read(j.get("request")),
        Instant.ofEpochMilli(j.get("at").asLong()),
        JobState.valueOf(j.get("state").asText()));
  }

  private static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
