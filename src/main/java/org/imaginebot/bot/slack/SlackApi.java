package org.imaginebot.bot.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.util.json.GsonFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.imaginebot.bot.slack.SlackMessages.Rendered;

/**
 * The few Web API calls the adapter makes, with the bot token: each either succeeds or throws a
 * {@link SlackCallException} naming the method and Slack's error code (never the token). Blocking:
 * call them off Bolt's request thread.
 */
final class SlackApi {

  /** Slack's own JSON conventions (snake_case, block type adapters), as its clients send them. */
  private static final Gson GSON = GsonFactory.createSnakeCase();

  private final Slack slack;
  private final MethodsClient client;
  private final String token;

  SlackApi(Slack slack, String token) {
    this.slack = slack;
    this.client = slack.methods();
    this.token = token;
  }

  /**
   * An ephemeral answer through a command's {@code response_url} (no channel membership needed;
   * Slack takes at most 5 posts per URL within 30 minutes).
   */
  void respond(String responseUrl, String text) {
    send(responseUrl, Map.of("response_type", "ephemeral", "text", text));
  }

  /**
   * A whole message through a {@code response_url}, ephemeral; {@code replaceOriginal} replaces the
   * one posted there before (a progress update) instead of adding another.
   */
  void respond(String responseUrl, Rendered message, boolean replaceOriginal) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("response_type", "ephemeral");
    body.put("replace_original", replaceOriginal);
    body.put("text", message.text());
    body.put("blocks", message.blocks());
    send(responseUrl, body);
  }

  private void send(String responseUrl, Map<String, ?> body) {
    try {
      var response = slack.send(responseUrl, GSON.toJson(body));
      if (response.getCode() != 200) {
        throw new SlackCallException("response_url", "HTTP " + response.getCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("response_url: " + e.getMessage(), e);
    }
  }

  /** Posts a message; returns its {@code ts}, the id {@link #update} needs. */
  String post(String channel, Rendered message) {
    ChatPostMessageResponse response =
        call(
            "chat.postMessage",
            () ->
                client.chatPostMessage(
                    r ->
                        r.token(token)
                            .channel(channel)
                            .text(message.text())
                            .blocks(message.blocks())
                            .unfurlLinks(false)
                            .unfurlMedia(false)));
    return response.getTs();
  }

  void update(String channel, String ts, Rendered message) {
    call(
        "chat.update",
        () ->
            client.chatUpdate(
                r ->
                    r.token(token)
                        .channel(channel)
                        .ts(ts)
                        .text(message.text())
                        .blocks(message.blocks())));
  }

  /** Deletes a message the bot posted ({@code chat.delete}; {@code chat:write} covers it). */
  void delete(String channel, String ts) {
    call("chat.delete", () -> client.chatDelete(r -> r.token(token).channel(channel).ts(ts)));
  }

  /** A link to the message {@code ts} of {@code channel} ({@code chat.getPermalink}). */
  String permalink(String channel, String ts) {
    return call(
            "chat.getPermalink",
            () -> client.chatGetPermalink(r -> r.token(token).channel(channel).messageTs(ts)))
        .getPermalink();
  }

  /** Only {@code user} sees it. */
  void ephemeral(String channel, String user, String text) {
    call(
        "chat.postEphemeral",
        () -> client.chatPostEphemeral(r -> r.token(token).channel(channel).user(user).text(text)));
  }

  /** Only {@code user} sees it: a message with blocks (buttons, say). */
  void ephemeral(String channel, String user, Rendered message) {
    call(
        "chat.postEphemeral",
        () ->
            client.chatPostEphemeral(
                r ->
                    r.token(token)
                        .channel(channel)
                        .user(user)
                        .text(message.text())
                        .blocks(message.blocks())));
  }

  /** Opens a modal for the user who just used a command ({@code trigger_id} is valid 3 s). */
  void openView(String triggerId, com.slack.api.model.view.View view) {
    call("views.open", () -> client.viewsOpen(r -> r.token(token).triggerId(triggerId).view(view)));
  }

  /**
   * Whether the user is a workspace admin or owner ({@code users.info}; needs the {@code
   * users:read} scope).
   */
  boolean isAdminOrOwner(String user) {
    var response = call("users.info", () -> client.usersInfo(r -> r.token(token).user(user)));
    var info = response.getUser();
    return info != null && (info.isAdmin() || info.isOwner() || info.isPrimaryOwner());
  }

  /**
   * Files upload v2 (get an upload URL, send the bytes, complete) into a message's thread; returns
   * the file id (for {@link #deleteFile}), or null when Slack names none.
   */
  String uploadFile(String channel, String threadTs, String filename, String title, byte[] data) {
    return upload(channel, threadTs, filename, title, data);
  }

  /**
   * Uploads a file shared nowhere (no channel), for an image block to show by its id ({@code
   * slack_file}); returns the file id, which {@link #deleteFile} takes once it is replaced.
   */
  String uploadUnshared(String filename, String title, byte[] data) {
    return upload(null, null, filename, title, data);
  }

  /** Deletes a file the bot uploaded ({@code files.delete}). */
  void deleteFile(String fileId) {
    call("files.delete", () -> client.filesDelete(r -> r.token(token).file(fileId)));
  }

  /** Files upload v2; the new file's id. */
  private String upload(
      String channel, String threadTs, String filename, String title, byte[] data) {
    try {
      var response =
          client.filesUploadV2(
              r ->
                  r.token(token)
                      .channel(channel)
                      .threadTs(threadTs)
                      .filename(filename)
                      .title(title)
                      .fileData(data)
                      .requestFileInfo(false));
      if (!response.isOk()) {
        throw new SlackCallException("files.uploadV2", response.getError());
      }
      return response.getFiles() == null || response.getFiles().isEmpty()
          ? null
          : response.getFiles().get(0).getId();
    } catch (IOException e) {
      throw new UncheckedIOException("files.uploadV2: " + e.getMessage(), e);
    } catch (SlackApiException e) {
      throw failure("files.uploadV2", e);
    }
  }

  private interface Call<R extends SlackApiTextResponse> {
    R run() throws IOException, SlackApiException;
  }

  private static <R extends SlackApiTextResponse> R call(String method, Call<R> call) {
    R response;
    try {
      response = call.run();
    } catch (IOException e) {
      throw new UncheckedIOException(method + ": " + e.getMessage(), e);
    } catch (SlackApiException e) {
      throw failure(method, e);
    }
    if (!response.isOk()) {
      throw new SlackCallException(method, response.getError());
    }
    return response;
  }

  /**
   * A 429 becomes {@link RateLimitedException} with Slack's Retry-After (1 s when it gives none).
   */
  private static RuntimeException failure(String method, SlackApiException e) {
    if (e.getResponse() != null && e.getResponse().code() == 429) {
      String header = e.getResponse().header("Retry-After");
      long seconds = 1;
      try {
        seconds = header == null ? 1 : Math.max(1, Long.parseLong(header.strip()));
      } catch (NumberFormatException ignored) {
        // Slack sends whole seconds; anything else waits the minimum
      }
      return new RateLimitedException(method, Duration.ofSeconds(seconds));
    }
    return new SlackCallException(method, errorOf(e));
  }

  private static String errorOf(SlackApiException e) {
    return e.getError() != null ? e.getError().getError() : "HTTP " + e.getResponse().code();
  }

  /** Slack answered a call with {@code ok: false} or an HTTP error. */
  static class SlackCallException extends RuntimeException {
    private final String error;

    SlackCallException(String method, String error) {
      super(method + " failed: " + error);
      this.error = error;
    }

    /** Slack's error code, e.g. {@code not_in_channel}. */
    String error() {
      return error;
    }
  }

  /** Slack answered 429: the same call may be made again after {@link #retryAfter}. */
  static final class RateLimitedException extends SlackCallException {
    private final Duration retryAfter;

    RateLimitedException(String method, Duration retryAfter) {
      super(method, "rate limited, retry after " + retryAfter.toSeconds() + " s");
      this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
      return retryAfter;
    }
  }
}
