package org.imaginebot.bench.fake.slack;

import java.util.Map;

/**
 * One call the bot made to the fake.
 *
 * @param method the Web API method ({@code chat.update}) or {@code upload} for the upload URL
 * @param params the form fields (and the bearer token as {@code token} when sent as a header)
 * @param body the raw body (the file's bytes for an upload)
 * @param atNanos {@link System#nanoTime} when it arrived
 */
public record ApiCall(String method, Map<String, String> params, byte[] body, long atNanos) {

  public String param(String name) {
    return params.get(name);
  }
}
