package org.imaginebot.bench.fake.slack;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message the bot sent back on a Socket Mode connection: the ack of an envelope.
 *
 * @param envelopeId the envelope it acknowledges; null when the message had none
 * @param payload the response payload ({@code {"text": ...}} for an ephemeral answer); null for a
 *     bare ack
 * @param raw the message as it came
 * @param atNanos {@link System#nanoTime} when it arrived
 */
public record SocketAck(String envelopeId, JsonNode payload, String raw, long atNanos) {}
