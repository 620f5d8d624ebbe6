package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The real Bolt app, wired by {@code BotApplication} with the real engine on the tiny models,
 * driven by signed slash commands and button presses, against a fake Slack that records each call.
 */
final class SlackBotTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final String OWNER = "U0OWNER";

  @TempDir Path dir;

  @Test
  void imagine_acksAtOnce_postsOneMessage_updatesItPaced_andUploadsThePngIntoItsThread()
      throws Exception {
    // A short interval, so even a warm engine's quick run (~1 s) shows several paced updates.
    try (SlackHarness h = SlackHarness.start(dir, Map.of("slack.minUpdateInterval", "PT0.2S"))) {
      long sent = System.nanoTime();
      HttpResponse<String> ack =
          h.fake.post(
              h.port,
              FakeSlack.slashCommand(
                  OWNER, "/imagine", "a lighthouse at dusk --steps 80 --seed 7"));
      Duration ackTime = Duration.ofNanos(System.nanoTime() - sent);

      assertThat(ack.statusCode()).isEqualTo(200);
      assertThat(ackTime).isLessThan(Duration.ofSeconds(3));
      ApiCall done = awaitFinalUpdate(h.fake);
      List<ApiCall> posts = h.fake.calls("chat.postMessage");
      assertThat(posts).hasSize(1);
      String ts = posts.get(0).param("ts");
      assertThat(posts.get(0).param("channel")).isEqualTo(FakeSlack.CHANNEL_ID);
      List<ApiCall> updates = h.fake.calls("chat.update");
      assertThat(updates)
          .hasSizeGreaterThan(1)
          .allSatisfy(u -> assertThat(u.param("ts")).isEqualTo(ts));
      assertThat(updates.stream().map(u -> u.param("text")))
          .anyMatch(t -> t.contains("step ") && t.contains("ETA"));
      assertThat(done.param("text"))
          .contains("a lighthouse at dusk", "seed 7", "80 steps", "adam", "model tiny");
      assertThat(buttonValue(done, ActionIds.REROLL)).isPresent();
      assertThat(buttonValue(done, ActionIds.CANCEL)).isEmpty();

      List<ApiCall> images = h.fake.sharedFiles();
      assertThat(images).hasSize(1);
      ApiCall complete = images.get(0);
      assertThat(Arrays.copyOf(h.fake.uploadedBytes(complete), 8)).isEqualTo(PNG_SIGNATURE);
      assertThat(complete.param("channel_id")).isEqualTo(FakeSlack.CHANNEL_ID);
      assertThat(complete.param("thread_ts")).isEqualTo(ts);
      List<ApiCall> messageCalls =
          h.fake.calls(
              c -> c.method().equals("chat.postMessage") || c.method().equals("chat.update"));
      assertPaced(messageCalls, Duration.ofMillis(200));
      double minutes =
          (messageCalls.get(messageCalls.size() - 1).atNanos() - messageCalls.get(0).atNanos())
              / 60e9;
      System.out.printf(
          "slack updates per message per minute at minUpdateInterval %s: %.1f (%d calls in %.1f s)%n",
          Duration.ofMillis(200), messageCalls.size() / minutes, messageCalls.size(), minutes * 60);
    }
  }

  @Test
  void acks_ofFiftyQueuedCommands_haveAP99FarBelowThreeSeconds() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of("slack.moderators", OWNER))) {
      h.fake.post(
          h.port,
          FakeSlack.slashCommand(OWNER, "/imagine-admin", "pause")); // jobs wait; only acks count
      long[] millis = new long[50];
      for (int i = 0; i < millis.length; i++) {
        long sent = System.nanoTime();
        HttpResponse<String> ack =
            h.fake.post(
                h.port,
                FakeSlack.slashCommand(
                    String.format("U%04d", i),
                    "/imagine",
                    "a quiet harbour --steps 5 --seed " + i));
        millis[i] = (System.nanoTime() - sent) / 1_000_000;
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).doesNotContain("ephemeral");
      }

      Arrays.sort(millis);
      long p99 = millis[(int) Math.ceil(0.99 * millis.length) - 1];
      System.out.printf(
          "slack /imagine ack over %d queued commands: median %d ms, p99 %d ms, max %d ms%n",
          millis.length, millis[millis.length / 2], p99, millis[millis.length - 1]);
      assertThat(p99).isLessThan(3000);
      assertThat(h.app.queue().snapshot()).hasSize(50);
    }
  }

  @Test
  void rateLimitedUpdate_waitsItsRetryAfter_andTheJobStillFinishes() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.rateLimit("chat.update", 1, 2);
      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", "a storm at sea --steps 100"));

      awaitFinalUpdate(h.fake);
      List<ApiCall> updates = h.fake.calls("chat.update");
      int limited = updates.stream().map(u -> u.param("fake_answer")).toList().indexOf("429");
      assertThat(limited).isNotNegative().isLessThan(updates.size() - 1);
      assertThat(
              Duration.ofNanos(updates.get(limited + 1).atNanos() - updates.get(limited).atNanos()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(h.fake.sharedFiles()).hasSize(1);
    }
  }

  @Test
  void imagineWithNoText_opensTheForm_whoseErrorsShowOnTheirField_andWhoseSubmissionRunsAJob()
      throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      HttpResponse<String> ack = h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", ""));

      assertThat(ack.statusCode()).isEqualTo(200);
      ApiCall open =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> h.fake.calls("views.open").stream().findFirst(), Optional::isPresent)
              .get();
      JsonNode view = JSON.readTree(open.param("view"));
      assertThat(open.param("trigger_id")).isEqualTo("1.2.abc");
      assertThat(view.path("callback_id").asText()).isEqualTo(ImagineModal.CALLBACK_ID);
      assertThat(view.path("private_metadata").asText()).isEqualTo(FakeSlack.CHANNEL_ID);
      assertThat(view.toString()).contains("\"value\":\"tiny\"", "\"value\":\"search\"");

      JsonNode badSteps =
          JSON.readTree(
              h.fake
                  .post(
                      h.port,
                      FakeSlack.formSubmission(
                          OWNER,
                          ImagineModal.CALLBACK_ID,
                          FakeSlack.CHANNEL_ID,
                          Map.of("prompt", "a foggy pier", "steps", "ten"),
                          Map.of()))
                  .body());
      assertThat(badSteps.path("response_action").asText()).isEqualTo("errors");
      assertThat(badSteps.path("errors").path("steps").asText())
          .isEqualTo("Needs a whole number of 0 or more, got 'ten'.");
      JsonNode tooMany =
          JSON.readTree(
              h.fake
                  .post(
                      h.port,
                      FakeSlack.formSubmission(
                          OWNER,
                          ImagineModal.CALLBACK_ID,
                          FakeSlack.CHANNEL_ID,
                          Map.of("prompt", "a foggy pier", "steps", "999999"),
                          Map.of()))
                  .body());
      assertThat(tooMany.path("errors").path("steps").asText()).contains("out of range");
      assertThat(h.fake.calls("chat.postMessage")).isEmpty();

      HttpResponse<String> accepted =
          h.fake.post(
              h.port,
              FakeSlack.formSubmission(
                  OWNER,
                  ImagineModal.CALLBACK_ID,
                  FakeSlack.CHANNEL_ID,
                  Map.of("prompt", "a foggy pier", "negative", "boats", "steps", "2", "seed", "9"),
                  Map.of("strategy", "search", "model", "tiny")));
      assertThat(accepted.statusCode()).isEqualTo(200);
      ApiCall done = awaitFinalUpdate(h.fake);
      assertThat(done.param("channel")).isEqualTo(FakeSlack.CHANNEL_ID);
      assertThat(done.param("text"))
          .contains("a foggy pier", "seed 9", "2 steps", "search", "model tiny");
    }
  }

  @Test
  void
      aChannelTheBotIsNotIn_followsTheJobThroughTheResponseUrl_withinFivePosts_sayingHowToInviteIt()
          throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.closeChannel("C0PRIVATE");
      String responseUrl = h.fake.responseUrl();

      h.fake.post(
          h.port,
          FakeSlack.slashCommand(
              OWNER, "/imagine", "a secret garden --steps 300 --seed 3", "C0PRIVATE", responseUrl));

      ApiCall last =
          await()
              .atMost(Duration.ofSeconds(120))
              .until(
                  () ->
                      h.fake.calls("response_url").stream()
                          .filter(c -> c.param("text").startsWith("✅"))
                          .findFirst(),
                  Optional::isPresent)
              .get();
      List<ApiCall> posts = h.fake.calls("response_url");
      assertThat(posts).hasSizeBetween(2, SlackReply.RESPONSE_URL_POSTS);
      assertThat(posts.get(posts.size() - 1)).isSameAs(last); // nothing after the image
      assertThat(posts)
          .allSatisfy(
              p -> {
                assertThat(p.param("response_type")).isEqualTo("ephemeral");
                assertThat(p.param("text")).contains("/invite @" + FakeSlack.BOT_USER);
              });
      assertThat(posts.get(0).param("replace_original")).isEqualTo("false");
      assertThat(posts.subList(1, posts.size()))
          .allSatisfy(p -> assertThat(p.param("replace_original")).isEqualTo("true"));
      for (int i = 2; i < posts.size() - 1; i++) { // progress posts are spaced out
        assertThat(Duration.ofNanos(posts.get(i).atNanos() - posts.get(i - 1).atNanos()))
            .isGreaterThanOrEqualTo(SlackReply.RESPONSE_URL_SPACING);
      }
      // The image itself: uploaded unshared (the bot may not share into the channel) and shown by
      // id.
      assertThat(last.param("text")).contains("a secret garden", "seed 3");
      String imageFile = slackFileIds(last).get(0);
      ApiCall complete =
          h.fake.calls("files.completeUploadExternal").stream()
              .filter(c -> uploadedFileId(c).equals(imageFile))
              .findFirst()
              .orElseThrow();
      assertThat(complete.param("channel_id")).isNull();
      assertThat(h.fake.calls("chat.update")).isEmpty();
    }
  }

  @Test
  void previews_showInTheMessage_andEachReplacedOneIsDeleted_soNoneIsLeftInTheWorkspace()
      throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of("slack.minUpdateInterval", "PT0.2S"))) {
      h.fake.post(
          h.port, FakeSlack.slashCommand(OWNER, "/imagine", "a foggy pier --steps 80 --seed 4"));

      ApiCall done = awaitFinalUpdate(h.fake);
      List<String> shown =
          h.fake.calls("chat.update").stream()
              .flatMap(u -> slackFileIds(u).stream())
              .distinct()
              .toList();
      assertThat(shown).hasSizeGreaterThan(1); // newer previews replaced older ones
      assertThat(slackFileIds(done)).isEmpty(); // the image is in the thread, not a preview
      List<String> previews =
          h.fake.calls("files.completeUploadExternal").stream()
              .filter(c -> c.param("channel_id") == null)
              .map(SlackBotTest::uploadedFileId)
              .toList();
      assertThat(previews).containsAll(shown);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(h.fake.calls("files.delete").stream().map(c -> c.param("file")))
                      .containsExactlyInAnyOrderElementsOf(previews));
    }
  }

  @Test
  void
      timelapseButton_postsTheRunsGifInTheThread_andAfterARestart_sayTheFramesAreGone_whileReRollStillWorks()
          throws Exception {
    String ref;
    String ts;
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.post(
          h.port, FakeSlack.slashCommand(OWNER, "/imagine", "a clock tower --steps 40 --seed 9"));
      ApiCall done = awaitFinalUpdate(h.fake);
      ref = buttonValue(done, ActionIds.TIMELAPSE).orElseThrow();
      ts = done.param("ts");

      h.fake.post(h.port, FakeSlack.buttonPress(OWNER, ActionIds.TIMELAPSE, ref, ts));

      ApiCall gif =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      h.fake.sharedFiles().stream()
                          .filter(c -> c.param("files").contains("Timelapse"))
                          .findFirst(),
                  Optional::isPresent)
              .get();
      assertThat(gif.param("thread_ts")).isEqualTo(ts);
      assertThat(
              new String(
                  Arrays.copyOf(h.fake.uploadedBytes(gif), 6),
                  java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("GIF89a");
    }

    try (SlackHarness restarted = SlackHarness.start(dir, Map.of())) {
      restarted.fake.post(
          restarted.port, FakeSlack.buttonPress(OWNER, ActionIds.TIMELAPSE, ref, ts));
      ApiCall gone = awaitFirst(restarted.fake, "chat.postEphemeral", Duration.ofSeconds(10));
      assertThat(gone.param("text")).contains("previews of this image are gone");
      assertThat(gone.param("user")).isEqualTo(OWNER);

      restarted.fake.post(restarted.port, FakeSlack.buttonPress(OWNER, ActionIds.REROLL, ref, ts));

      ApiCall rerolled = awaitFinalUpdate(restarted.fake);
      assertThat(rerolled.param("text"))
          .contains("a clock tower", "40 steps")
          .doesNotContain("seed 9 ");
    }
  }

  @Test
  void handlerFailure_isAnEphemeralAckWithAnIncidentId_neverTheDatabaseError() throws Exception {
    try (LogCapture log = LogCapture.of(SlackBot.class);
        SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.addAdmin("U0ADMIN");
      try (Connection db =
              DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
          Statement st = db.createStatement()) {
        st.execute(
            "DROP ALL OBJECTS"); // the settings database loses its tables under the running bot
      }

      JsonNode ack =
          JSON.readTree(
              h.fake
                  .post(h.port, FakeSlack.slashCommand("U0ADMIN", "/imagine-admin", "audit"))
                  .body());

      String text = ack.path("text").asText();
      assertThat(ack.path("response_type").asText()).isEqualTo("ephemeral");
      assertThat(text)
          .matches(
              "Something went wrong while handling your command \\(incident E-[A-Z0-9]{6}\\)\\..*");
      assertThat(text).doesNotContainIgnoringCase("jdbc").doesNotContain("SQL");
      String incident = text.replaceAll(".*\\((incident E-[A-Z0-9]{6})\\).*", "$1");
      assertThat(log.errors())
          .anySatisfy(e -> assertThat(e).contains(incident, "at org.imaginebot."));
    }
  }

  @Test
  void refusal_isAnEphemeralAck_thatSaysWhatToFix_andPostsNothing() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      HttpResponse<String> ack =
          h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", "a cat --steps 999999"));

      JsonNode body = JSON.readTree(ack.body());
      assertThat(body.path("response_type").asText()).isEqualTo("ephemeral");
      assertThat(body.path("text").asText()).contains("--steps 999999 is out of range");
      assertThat(h.fake.calls("chat.postMessage")).isEmpty();
    }
  }

  @Test
  void refusalByTheWorkspacesRules_keepsNoButtonReference() throws Exception { // bench fuzz
    try (SlackHarness h = SlackHarness.start(dir, Map.of("limits.bannedWords", "gore"))) {
      for (String text : List.of("lots of gore", "a cat --model nope", "a cat --steps 999")) {
        HttpResponse<String> ack =
            h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", text));
        assertThat(JSON.readTree(ack.body()).path("response_type").asText()).isEqualTo("ephemeral");
      }
      assertThat(actionRefs(h)).isZero();

      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", "a cat --steps 2"));
      await("accepted: its buttons' reference is kept, stored after the ack")
          .atMost(Duration.ofSeconds(30))
          .until(() -> actionRefs(h), n -> n == 1);
    }
  }

  @Test
  void formValuesTheRequestRefuses_areFieldErrors_neverAServerError() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) { // each was HTTP 500 (bench fuzz)
      assertThat(formErrors(h, Map.of("prompt", "only bad:-1"), Map.of()).path("prompt").asText())
          .startsWith("at least one prompt must have a positive weight");
      assertThat(formErrors(h, Map.of("prompt", "a cat |"), Map.of()).path("prompt").asText())
          .contains("empty part between '|'");
      assertThat(
              formErrors(h, Map.of("prompt", "a cat", "seed", "9007199254740992"), Map.of())
                  .path("seed")
                  .asText())
          .contains("out of range");
      assertThat(
              formErrors(h, Map.of("prompt", "a cat", "steps", "0"), Map.of())
                  .path("steps")
                  .asText())
          .contains("out of range");
      assertThat(
              formErrors(h, Map.of("prompt", "a cat"), Map.of("strategy", "magic"))
                  .path("strategy")
                  .asText())
          .startsWith("unknown strategy 'magic'");
      assertThat(h.fake.calls("chat.postMessage")).isEmpty();
      assertThat(actionRefs(h)).isZero();
    }
  }

  private static JsonNode formErrors(
      SlackHarness h, Map<String, String> texts, Map<String, String> selected) throws Exception {
    HttpResponse<String> answer =
        h.fake.post(
            h.port,
            FakeSlack.formSubmission(
                OWNER, ImagineModal.CALLBACK_ID, FakeSlack.CHANNEL_ID, texts, selected));
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("response_action").asText()).isEqualTo("errors");
    return body.path("errors");
  }

  private static long actionRefs(SlackHarness h) throws Exception {
    try (Connection c = h.app.database().dataSource().getConnection();
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM action_ref")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void sameRequestAgain_isTheCachedImageAtOnce() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      String line = "a red barn --strategy search --steps 3 --seed 5";
      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", line));
      awaitFinalUpdate(h.fake);
      int callsBefore = h.fake.calls().size();

      long sent = System.nanoTime();
      h.fake.post(h.port, FakeSlack.slashCommand("U0OTHER", "/imagine", line));
      ApiCall upload =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      h.fake.calls().subList(callsBefore, h.fake.calls().size()).stream()
                          .filter(c -> c.method().equals("files.completeUploadExternal"))
                          .findFirst(),
                  Optional::isPresent)
              .get();
      Duration replyTime = Duration.ofNanos(upload.atNanos() - sent);

      List<ApiCall> second = h.fake.calls().subList(callsBefore, h.fake.calls().size());
      ApiCall post =
          second.stream()
              .filter(c -> c.method().equals("chat.postMessage"))
              .findFirst()
              .orElseThrow();
      assertThat(post.param("text")).contains("cached", "seed 5");
      assertThat(second).noneMatch(c -> c.method().equals("chat.update"));
      assertThat(replyTime).isLessThan(Duration.ofSeconds(2));
      System.out.printf(
          "slack cache-hit reply (command sent -> image uploaded): %d ms%n", replyTime.toMillis());
    }
  }

  @Test
  void rerollButton_makesANewImageWithANewSeed_inANewMessage() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.post(
          h.port,
          FakeSlack.slashCommand(
              OWNER, "/imagine", "a windmill --strategy search --steps 2 --seed 5"));
      ApiCall first = awaitFinalUpdate(h.fake);

      HttpResponse<String> ack =
          h.fake.post(
              h.port,
              FakeSlack.buttonPress(
                  OWNER,
                  ActionIds.REROLL,
                  buttonValue(first, ActionIds.REROLL).orElseThrow(),
                  first.param("ts")));

      assertThat(ack.statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.fake.sharedFiles().size() == 2);
      List<ApiCall> posts = h.fake.calls("chat.postMessage");
      assertThat(posts).hasSize(2);
      ApiCall rerolled =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      h.fake.calls("chat.update").stream()
                          .filter(
                              u ->
                                  u.param("ts").equals(posts.get(1).param("ts"))
                                      && u.param("text").startsWith("✅"))
                          .findFirst(),
                  Optional::isPresent)
              .get();
      assertThat(rerolled.param("text")).contains("a windmill").doesNotContain("seed 5 ");

      // The re-roll links back to the first message (Slack's permalink), its PNG names the job
      String line =
          "Re-roll of <"
              + FakeSlack.permalink(FakeSlack.CHANNEL_ID, first.param("ts"))
              + "|this image>";
      assertThat(new ObjectMapper().readTree(rerolled.param("blocks")).findValuesAsText("text"))
          .contains(line);
      assertThat(h.fake.calls("chat.getPermalink"))
          .singleElement()
          .satisfies(c -> assertThat(c.param("message_ts")).isEqualTo(first.param("ts")));
      byte[] png = h.fake.uploadedBytes(h.fake.sharedFiles().get(1));
      assertThat(Provenance.read(png).orElseThrow().parentJob()).isEqualTo(firstJobId(h));

      // An ordinary /imagine has neither
      assertThat(first.param("blocks")).doesNotContain("Re-roll of");
      byte[] original = h.fake.uploadedBytes(h.fake.sharedFiles().get(0));
      assertThat(Provenance.read(original).orElseThrow().toJson()).doesNotContain("parent_job");
    }
  }

  @Test
  void rerollOfAMessageSlackHasNoPermalinkFor_goesOutWithoutTheLink_andWarns() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of());
        LogCapture log = LogCapture.of(org.imaginebot.bot.slack.SlackReply.class)) {
      h.fake.post(
          h.port,
          FakeSlack.slashCommand(
              OWNER, "/imagine", "a windmill --strategy search --steps 2 --seed 6"));
      ApiCall first = awaitFinalUpdate(h.fake);

      h.fake.post(
          h.port,
          FakeSlack.buttonPress(
              OWNER,
              ActionIds.REROLL,
              buttonValue(first, ActionIds.REROLL).orElseThrow(),
              "1699999999.000001")); // no such message: chat.getPermalink refuses

      await().atMost(Duration.ofSeconds(60)).until(() -> h.fake.sharedFiles().size() == 2);
      byte[] png = h.fake.uploadedBytes(h.fake.sharedFiles().get(1));
      assertThat(Provenance.read(png).orElseThrow().parentJob()).isEqualTo(firstJobId(h));
      ApiCall rerolled =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      h.fake.calls("chat.update").stream()
                          .filter(
                              u ->
                                  !u.param("ts").equals(first.param("ts"))
                                      && u.param("text").startsWith("✅"))
                          .findFirst(),
                  Optional::isPresent)
              .get();
      assertThat(rerolled.param("blocks")).doesNotContain("this image");
      assertThat(log.all()).anyMatch(m -> m.contains("no permalink for message"));
    }
  }

  /** The id of the first job the bot ran (the jobs table keeps finished ones). */
  private static String firstJobId(SlackHarness h) throws Exception {
    try (Connection c = h.app.database().dataSource().getConnection();
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT id FROM jobs ORDER BY seq")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void infoButton_showsThePresserAloneWhatThePngRecords() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.post(
          h.port,
          FakeSlack.slashCommand(
              OWNER,
              "/imagine",
              "a windmill <!channel> | dusk:0.5 --no fog --strategy search --steps 2 --seed 5"));
      ApiCall done = awaitFinalUpdate(h.fake);
      byte[] png = h.fake.uploadedBytes(h.fake.sharedFiles().get(0));
      Provenance recorded = Provenance.read(png).orElseThrow();

      HttpResponse<String> ack =
          h.fake.post(
              h.port,
              FakeSlack.buttonPress(
                  "U0SOMEONE",
                  ActionIds.INFO,
                  buttonValue(done, ActionIds.INFO).orElseThrow(),
                  done.param("ts")));

      assertThat(ack.statusCode()).isEqualTo(200);
      ApiCall info = awaitFirst(h.fake, "chat.postEphemeral", Duration.ofSeconds(10));
      assertThat(info.param("user")).isEqualTo("U0SOMEONE");
      assertThat(info.param("text"))
          .contains(
              "*Prompt:* a windmill &lt;!channel&gt; | dusk:0.5",
              "*Avoiding:* fog (weight -1)",
              "*Seed:* 5 (chosen)",
              "*Steps:* 2",
              "*Strategy:* search",
              "*Model:* tiny",
              "*Size:* the model's own",
              "*Variation:* none",
              "tiny/generator " + recorded.engine().files().get("tiny/generator").substring(0, 12),
              "*Engine:* revision 1 · cutouts ",
              "imagine-bot generate --from FILE.png")
          .doesNotContain("<!channel>");
      assertThat(recorded.request().seed()).isEqualTo(5);
      assertThat(recorded.request().describePrompt()).startsWith("a windmill <!channel>");
    }
  }

  @Test
  void cancelButton_stopsTheJobForTheOwner_butNotForSomeoneElse() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", "a slow sunset --steps 400"));
      ApiCall post =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> h.fake.calls("chat.postMessage").stream().findFirst(), Optional::isPresent)
              .get();
      String job = buttonValue(post, ActionIds.CANCEL).orElseThrow();

      h.fake.post(
          h.port, FakeSlack.buttonPress("U0STRANGER", ActionIds.CANCEL, job, post.param("ts")));
      ApiCall refusal = awaitFirst(h.fake, "chat.postEphemeral", Duration.ofSeconds(10));
      assertThat(refusal.param("user")).isEqualTo("U0STRANGER");
      assertThat(refusal.param("text"))
          .contains("Only the person who asked for this image or a moderator");

      h.fake.post(h.port, FakeSlack.buttonPress(OWNER, ActionIds.CANCEL, job, post.param("ts")));
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
  void forgedStaleAndReplayedSignatures_get401_andStartNoJob() throws Exception {
    Map<String, String> ownerModerates = Map.of("slack.moderators", OWNER);
    try (SlackHarness h = SlackHarness.start(dir, ownerModerates)) {
      String body = FakeSlack.slashCommand(OWNER, "/imagine", "a forged cat --steps 2");
      long now = System.currentTimeMillis() / 1000;

      assertThat(h.fake.post(h.port, body, "not-the-signing-secret", now).statusCode())
          .isEqualTo(401);
      assertThat(h.fake.post(h.port, body, FakeSlack.SIGNING_SECRET, now - 600).statusCode())
          .isEqualTo(401);
      assertThat(h.app.queue().snapshot()).isEmpty();
      assertThat(h.app.queue().running()).isEmpty();
      assertThat(h.fake.calls("chat.postMessage")).isEmpty();

      // A genuine request captured and sent again (within Bolt's 5-minute window) runs once.
      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine-admin", "pause"));
      String genuine = FakeSlack.slashCommand(OWNER, "/imagine", "a replayed cat --steps 2");
      assertThat(h.fake.post(h.port, genuine, FakeSlack.SIGNING_SECRET, now).statusCode())
          .isEqualTo(200);
      assertThat(h.fake.post(h.port, genuine, FakeSlack.SIGNING_SECRET, now).statusCode())
          .isEqualTo(401);
      assertThat(h.app.queue().snapshot()).hasSize(1);
    }
  }

  @Test
  void imagineInfo_showsOnlyTheAskerTheirJobsQuotaAndLimits_escaped() throws Exception {
    Map<String, String> settings =
        Map.of("slack.moderators", OWNER, "limits.dailyImagesPerUser", "4");
    try (SlackHarness h = SlackHarness.start(dir, settings)) {
      h.fake.post(h.port, FakeSlack.slashCommand(OWNER, "/imagine-admin", "pause"));
      h.fake.post(
          h.port, FakeSlack.slashCommand("U0MEMBER", "/imagine", "a <!channel> kite --steps 5"));

      HttpResponse<String> info =
          h.fake.post(h.port, FakeSlack.slashCommand("U0MEMBER", "/imagine-info", ""));

      JsonNode answer = JSON.readTree(info.body());
      assertThat(answer.path("response_type").asText()).isEqualTo("ephemeral");
      assertThat(answer.path("text").asText())
          .contains("Your jobs in this workspace:", "#1 in queue — a &lt;!channel&gt; kite")
          .contains("Today: 1 of 4 images")
          .contains("Limits in this workspace:", "Queue: 1 waiting, 0 running")
          .doesNotContain("<!channel>");
    }
  }

  @Test
  void unsignedRequests_get401() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      String body = FakeSlack.slashCommand(OWNER, "/imagine", "a forged cat --steps 2");
      HttpResponse<String> answer =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + h.port + "/slack/events"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(401);
      assertThat(h.app.queue().snapshot()).isEmpty();
      assertThat(h.app.queue().running()).isEmpty();
      assertThat(h.fake.calls("chat.postMessage")).isEmpty();
    }
  }

  @Test
  void echoedPrompt_isEscaped_soItNotifiesNoOne_andTheTokenIsNeverLogged() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    root.addAppender(log);
    try (SlackHarness h = SlackHarness.start(dir, Map.of())) {
      h.fake.post(
          h.port,
          FakeSlack.slashCommand(
              OWNER, "/imagine", "<!channel> & <@U0BOSS> a cake --strategy search --steps 2"));
      ApiCall done = awaitFinalUpdate(h.fake);

      for (ApiCall call : h.fake.calls(c -> c.method().startsWith("chat."))) {
        assertThat(call.param("text") + call.param("blocks"))
            .doesNotContain("<!channel>", "<@U0BOSS>");
      }
      assertThat(done.param("text")).contains("&lt;!channel&gt; &amp; &lt;@U0BOSS&gt; a cake");
    } finally {
      root.detachAppender(log);
    }
    synchronized (log) {
      assertThat(log.list)
          .isNotEmpty()
          .noneMatch(
              e ->
                  e.getFormattedMessage().contains(FakeSlack.BOT_TOKEN)
                      || e.getFormattedMessage().contains(FakeSlack.SIGNING_SECRET));
    }
  }

  @Test
  void admin_isRefusedToAMember_allowedToAWorkspaceAdminAndToAListedModerator() throws Exception {
    try (SlackHarness h = SlackHarness.start(dir, Map.of("slack.moderators", "U0LISTED"))) {
      h.fake.addAdmin("U0ADMIN");

      JsonNode member =
          JSON.readTree(
              h.fake
                  .post(h.port, FakeSlack.slashCommand(OWNER, "/imagine-admin", "set maxSteps 10"))
                  .body());
      JsonNode admin =
          JSON.readTree(
              h.fake
                  .post(
                      h.port,
                      FakeSlack.slashCommand("U0ADMIN", "/imagine-admin", "set maxSteps 10"))
                  .body());
      JsonNode audit =
          JSON.readTree(
              h.fake
                  .post(h.port, FakeSlack.slashCommand("U0ADMIN", "/imagine-admin", "audit"))
                  .body());
      JsonNode listed =
          JSON.readTree(
              h.fake
                  .post(
                      h.port, FakeSlack.slashCommand("U0LISTED", "/imagine-admin", "get maxSteps"))
                  .body());
      JsonNode tooMany =
          JSON.readTree(
              h.fake
                  .post(h.port, FakeSlack.slashCommand(OWNER, "/imagine", "a cat --steps 20"))
                  .body());

      assertThat(member.path("response_type").asText()).isEqualTo("ephemeral");
      assertThat(member.path("text").asText()).startsWith("Only moderators can change settings.");
      assertThat(admin.path("text").asText())
          .isEqualTo("Set maxSteps to 10. It applies from the next request.");
      assertThat(audit.path("text").asText()).contains("U0ADMIN maxSteps: 500 → 10");
      assertThat(listed.path("text").asText()).contains("maxSteps = 10");
      assertThat(tooMany.path("text").asText())
          .isEqualTo("--steps 20 is out of range: use 1 to 10");
      assertThat(h.fake.calls("users.info").stream().map(c -> c.param("user")))
          .containsExactlyInAnyOrder(
              OWNER, "U0ADMIN"); // each asked once, then remembered; listed ones never
    }
  }

  @Test
  void jobAskedForBeforeARestart_isPostedInItsChannelAfterwards_forItsRequester() throws Exception {
    Map<String, String> ownerModerates = Map.of("slack.moderators", OWNER);
    try (SlackHarness h = SlackHarness.start(dir, ownerModerates)) {
      h.fake.post(
          h.port, FakeSlack.slashCommand(OWNER, "/imagine-admin", "pause")); // the job stays queued
      h.fake.post(
          h.port,
          FakeSlack.slashCommand(
              OWNER, "/imagine", "a patient lighthouse --strategy search --steps 2"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !h.fake.calls("chat.postMessage").isEmpty());
    }

    try (SlackHarness restarted = SlackHarness.start(dir, ownerModerates)) {
      ApiCall done =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      restarted
                          .fake
                          .calls(
                              c -> c.method().startsWith("chat.") && c.param("text").contains("✅"))
                          .stream()
                          .findFirst(),
                  Optional::isPresent)
              .get();

      assertThat(done.param("text"))
          .startsWith(
              "<@"
                  + OWNER
                  + ">, this is the image you asked for before the bot restarted.\n✅ a patient lighthouse");
      assertThat(done.param("channel")).isEqualTo(FakeSlack.CHANNEL_ID);
      assertThat(restarted.fake.sharedFiles()).hasSize(1);
    }
  }

  /** The first call of {@code method} the fake gets, waiting up to {@code timeout}. */
  private static ApiCall awaitFirst(FakeSlack fake, String method, Duration timeout) {
    return await()
        .atMost(timeout)
        .until(() -> fake.calls(method).stream().findFirst(), Optional::isPresent)
        .get();
  }

  /** The message's last update, once it shows the finished image (and Slack took it). */
  private static ApiCall awaitFinalUpdate(FakeSlack fake) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                fake.calls("chat.update").stream()
                    .filter(u -> u.param("text").startsWith("✅") && u.param("fake_answer") == null)
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  /** The ids of the files a message's image blocks show ({@code slack_file}). */
  private static List<String> slackFileIds(ApiCall call) {
    try {
      List<String> ids = new java.util.ArrayList<>();
      for (JsonNode block : JSON.readTree(call.param("blocks"))) {
        if (block.path("type").asText().equals("image")) {
          ids.add(block.path("slack_file").path("id").asText());
        }
      }
      return ids;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The id of the (first) file a {@code files.completeUploadExternal} call completes. */
  private static String uploadedFileId(ApiCall complete) {
    try {
      return JSON.readTree(complete.param("files")).get(0).path("id").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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

  /**
   * Calls for one message arrive at least the interval apart (each starts after the last one
   * ended).
   */
  private static void assertPaced(List<ApiCall> calls, Duration interval) {
    for (int i = 1; i < calls.size(); i++) {
      assertThat(Duration.ofNanos(calls.get(i).atNanos() - calls.get(i - 1).atNanos()))
          .as("gap before call %d (%s)", i, calls.get(i).method())
          .isGreaterThanOrEqualTo(interval);
    }
  }
}
