package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.bench.fake.slack.SocketAck;
import org.imaginebot.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode: the real Bolt {@code SocketModeApp}, wired by {@code BotApplication} with the real
 * engine on the tiny models, gets its WebSocket URL from the fake's {@code apps.connections.open}
 * and is driven by envelopes pushed over that socket; no HTTP port is opened.
 */
final class SlackSocketModeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final String OWNER = "U0OWNER";
  private static final SlackLogin SOCKET_MODE =
      SlackLogin.socketMode(FakeSlack.BOT_TOKEN, FakeSlack.APP_TOKEN);

  @TempDir Path dir;

  @Test
  void imagine_overSocketMode_isAckedWithin3s_andItsJobPostsUpdatesAndUploadsThePng_withNoPortOpen()
      throws Exception {
    int port = freePort();
    try (LogCapture log = LogCapture.root();
        SlackHarness h =
            SlackHarness.start(
                dir,
                Map.of("slack.port", Integer.toString(port), "slack.minUpdateInterval", "PT0.2S"),
                SOCKET_MODE)) {
      SlackBot bot = h.app.slack().orElseThrow();
      assertThat(bot.socketMode()).isTrue();
      assertThat(bot.botName()).isEqualTo(FakeSlack.BOT_USER);
      assertNothingListensOn(port);
      assertThat(h.fake.calls("apps.connections.open"))
          .isNotEmpty()
          .allSatisfy(c -> assertThat(c.param("token")).isEqualTo(FakeSlack.APP_TOKEN));
      await().atMost(Duration.ofSeconds(10)).until(h.fake::socketConnected);
      assertThat(h.fake.socketConnections())
          .hasSize(1)
          .allSatisfy(path -> assertThat(path).startsWith("/link/?ticket="));

      long sent = System.nanoTime();
      String envelope =
          h.fake.pushSlashCommand(OWNER, "/imagine", "a lighthouse at dusk --steps 80 --seed 7");
      SocketAck ack =
          await()
              .atMost(Duration.ofSeconds(3))
              .until(() -> h.fake.socketAck(envelope), Optional::isPresent)
              .get();

      assertThat(Duration.ofNanos(ack.atNanos() - sent)).isLessThan(Duration.ofSeconds(3));
      assertThat(ack.raw()).doesNotContain("ephemeral");
      ApiCall done = awaitFinalUpdate(h.fake);
      List<ApiCall> posts = h.fake.calls("chat.postMessage");
      assertThat(posts).hasSize(1);
      String ts = posts.get(0).param("ts");
      assertThat(posts.get(0).param("channel")).isEqualTo(FakeSlack.CHANNEL_ID);
      assertThat(h.fake.calls("chat.update"))
          .hasSizeGreaterThan(1)
          .allSatisfy(u -> assertThat(u.param("ts")).isEqualTo(ts));
      assertThat(done.param("text"))
          .contains("a lighthouse at dusk", "seed 7", "80 steps", "model tiny");
      assertThat(h.fake.sharedFiles()).hasSize(1);
      ApiCall complete = h.fake.sharedFiles().get(0);
      assertThat(Arrays.copyOf(h.fake.uploadedBytes(complete), 8)).isEqualTo(PNG_SIGNATURE);
      assertThat(complete.param("channel_id")).isEqualTo(FakeSlack.CHANNEL_ID);
      assertThat(complete.param("thread_ts")).isEqualTo(ts);
      assertThat(log.errors()).isEmpty();
      assertThat(log.all())
          .noneMatch(
              line -> line.contains(FakeSlack.APP_TOKEN) || line.contains(FakeSlack.BOT_TOKEN));
    }
  }

  @Test
  void refusal_isAckedWithItsEphemeralPayload_onTheSocket() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of(), SOCKET_MODE)) {
      await().atMost(Duration.ofSeconds(10)).until(h.fake::socketConnected);

      String envelope = h.fake.pushSlashCommand(OWNER, "/imagine", "a cat --steps 999999");
      SocketAck ack =
          await()
              .atMost(Duration.ofSeconds(3))
              .until(() -> h.fake.socketAck(envelope), Optional::isPresent)
              .get();

      assertThat(ack.payload().path("response_type").asText()).isEqualTo("ephemeral");
      assertThat(ack.payload().path("text").asText()).contains("--steps 999999 is out of range");
      assertThat(h.fake.calls("chat.postMessage")).isEmpty();
    }
  }

  @Test
  void cancelButton_asAnInteractiveEnvelope_isAcked_andStopsTheJob() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of(), SOCKET_MODE)) {
      await().atMost(Duration.ofSeconds(10)).until(h.fake::socketConnected);
      h.fake.pushSlashCommand(OWNER, "/imagine", "a slow sunset --steps 400");
      ApiCall post =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> h.fake.calls("chat.postMessage").stream().findFirst(), Optional::isPresent)
              .get();
      String job = buttonValue(post, ActionIds.CANCEL).orElseThrow();

      String envelope =
          h.fake.pushInteractive(
              FakeSlack.buttonPressPayload(OWNER, ActionIds.CANCEL, job, post.param("ts")));

      await().atMost(Duration.ofSeconds(3)).until(() -> h.fake.socketAck(envelope).isPresent());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  h.fake.calls("chat.update").stream()
                      .anyMatch(u -> u.param("text").equals("Cancelled.")));
      assertThat(h.fake.sharedFiles()).isEmpty();
    }
  }

  @Test
  void close_disconnects_andEndsEverySocketModeThread() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of(), SOCKET_MODE)) {
      await().atMost(Duration.ofSeconds(10)).until(h.fake::socketConnected);
      assertThat(socketModeThreads())
          .as("Bolt's envelope threads, the client's processor and monitor, its WebSocket's")
          .hasSizeGreaterThanOrEqualTo(4);

      h.app.slack().orElseThrow().close();

      await().atMost(Duration.ofSeconds(10)).until(() -> !h.fake.socketConnected());
      await().atMost(Duration.ofSeconds(10)).until(() -> socketModeThreads().isEmpty());
    }
  }

  @Test
  void refusedAppToken_endsStart_sayingToCheckSlackAppToken_andNoTokenIsLogged_evenAtDebug() {
    String revoked = "xapp-1-AFAKE-0000000000-revoked-app-token";
    // The SDK's own request log too, at its most detailed.
    Logger sdk = (Logger) LoggerFactory.getLogger("com.slack.api");
    sdk.setLevel(Level.DEBUG);
    try (LogCapture log = LogCapture.root()) {
      assertThatExceptionOfType(IllegalStateException.class)
          .isThrownBy(
              () ->
                  SlackHarness.start(
                      dir, Map.of(), SlackLogin.socketMode(FakeSlack.BOT_TOKEN, revoked)))
          .withMessageStartingWith(
              "Slack refused SLACK_APP_TOKEN (invalid_auth): check SLACK_APP_TOKEN, an app-level"
                  + " token (xapp-...) with the connections:write scope")
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .doesNotContain(revoked)
                      .doesNotContain(FakeSlack.BOT_TOKEN));

      assertThat(log.all())
          .isNotEmpty()
          .noneMatch(line -> line.contains(revoked) || line.contains(FakeSlack.BOT_TOKEN));
    } finally {
      sdk.setLevel(null);
    }
  }

  /**
   * Live threads of Socket Mode: Bolt's envelope pool, the SDK client's message processor and
   * session monitor, Java-WebSocket's client read, write and ping threads (the fake's server
   * threads are named otherwise).
   */
  private static List<String> socketModeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(
            name ->
                name.startsWith("slack-bolt-socket-mode")
                    || name.startsWith("socket-mode-")
                    || name.startsWith("WebSocketConnectReadThread")
                    || name.startsWith("WebSocketWriteThread")
                    || name.startsWith("connectionLostChecker"))
        .toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void assertNothingListensOn(int port) {
    assertThatExceptionOfType(ConnectException.class)
        .as("a connection to slack.port %d", port)
        .isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());
  }

  /** The message's last update, once it shows the finished image. */
  private static ApiCall awaitFinalUpdate(FakeSlack fake) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                fake.calls("chat.update").stream()
                    .filter(u -> u.param("text").startsWith("✅"))
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  private static Optional<String> buttonValue(ApiCall call, String actionId) throws Exception {
    for (JsonNode block : JSON.readTree(call.param("blocks"))) {
      for (JsonNode element : block.path("elements")) {
        if (actionId.equals(element.path("action_id").asText())) {
          return Optional.of(element.path("value").asText());
        }
      }
    }
    return Optional.empty();
  }
}
