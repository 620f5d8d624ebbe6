package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imaginebot.bench.fake.discord.ButtonPress;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.Engine;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.testing.LogCapture;
import org.imaginebot.worker.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Discord adapter end to end: the real JDA client and the whole bot against a fake Discord, the
 * real engine on the tiny models. Every assertion reads the REST calls the fake recorded.
 */
final class DiscordBotTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int DEFERRED = 5;
  private static final int MESSAGE = 4;
  private static final int EPHEMERAL = 1 << 6;

  /** Ack latencies seen by all tests, for the figures printed at the end. */
  private static final List<Long> ACK_NANOS = new ArrayList<>();

  @TempDir Path dir;

  private static SlashCommand imagine(CommandOption... options) {
    return SlashCommand.of("imagine", options);
  }

  private static long ackNanos(RestCall callback, Interaction interaction) {
    long nanos = callback.atNanos() - interaction.dispatchedAtNanos();
    synchronized (ACK_NANOS) {
      ACK_NANOS.add(nanos);
    }
    return nanos;
  }

  @Test
  void imagineInfo_isRegistered_andShowsOnlyTheAskerTheirQuotaAndLimits() throws Exception {
    try (DiscordHarness h =
        DiscordHarness.start(dir, Map.of("limits.dailyImagesPerUser", "3"), Clock.systemUTC())) {
      assertThat(h.fake.guildCommands(FakeDiscord.GUILD_ID).toString())
          .contains("\"imagine-info\"");

      Interaction info = h.fake.slashCommand(SlashCommand.of("imagine-info"));

      RestCall reply = h.fake.awaitCall("POST", info.callbackPath(), WAIT);
      assertThat(reply.json().path("type").asInt()).isEqualTo(MESSAGE);
      assertThat(reply.json().path("data").path("flags").asInt() & EPHEMERAL).isEqualTo(EPHEMERAL);
      assertThat(reply.json().path("data").path("content").asText())
          .startsWith("You have no jobs waiting or running on this server.")
          .contains("Today: 0 of 3 images", "Limits on this server:", "Queue: 0 waiting");
    }
  }

  @Test
  void imagine_defersAtOnce_editsWithPreviews_thenTheFinalPngWithEmbedAndButtons()
      throws Exception {
    // The default edit interval, so the figures below are what a real server sees.
    try (DiscordHarness h =
        DiscordHarness.start(dir, Map.of("discord.minEditInterval", "PT2.5S"), Clock.systemUTC())) {
      assertThat(h.fake.guildCommands(FakeDiscord.GUILD_ID).toString())
          .contains("\"imagine\"", "\"imagine-admin\"");

      Interaction i =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a lighthouse @everyone"),
                  CommandOption.integer("steps", 40),
                  CommandOption.integer("seed", 7)));

      RestCall callback = h.fake.awaitCall("POST", i.callbackPath(), WAIT);
      assertThat(callback.json().path("type").asInt()).isEqualTo(DEFERRED);
      assertThat(ackNanos(callback, i)).isLessThan(TimeUnit.SECONDS.toNanos(3));
      RestCall last = awaitFinalEdit(h, i);
      assertThat(last.files()).hasSize(1);
      byte[] png = last.files().values().iterator().next();
      assertThat(Png.decode(png).getWidth()).isEqualTo(64);
      JsonNode embed = last.json().path("embeds").get(0);
      assertThat(embed.path("title").asText()).isEqualTo("a lighthouse @everyone");
      assertThat(embed.toString())
          .contains("\"Seed\"", "\"7\"", "\"Steps\"", "\"40\"", "\"adam\"", "\"tiny\"");
      assertThat(last.json().toString()).contains("imagine:reroll:");
      assertThat(last.json().path("allowed_mentions").path("parse"))
          .as("nobody is pinged")
          .isEmpty();
      List<RestCall> edits = h.fake.calls("PATCH", i.originalPath());
      assertEditsPaced(edits, Duration.ofMillis(2500));
      int perFiveSeconds = maxInWindow(edits, Duration.ofSeconds(5));
      System.out.printf(
          "discord edits: %d edits of one reply, at most %d in any 5 s%n",
          edits.size(), perFiveSeconds);
      assertThat(perFiveSeconds).as("Discord allows about 5 per 5 s").isLessThanOrEqualTo(3);
    }
  }

  @Test
  void progress_isShownAsReplacedPreviews_withStepLossAndEta() throws Exception {
    try (DiscordHarness h =
        DiscordHarness.start(
            dir, Map.of("discord.minEditInterval", "PT0.05S"), Clock.systemUTC())) {
      Interaction i =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a lighthouse"),
                  CommandOption.integer("steps", 40)));

      awaitFinalEdit(h, i);

      List<RestCall> edits = h.fake.calls("PATCH", i.originalPath());
      assertThat(edits)
          .filteredOn(
              e ->
                  e.json()
                      .path("content")
                      .asText()
                      .matches("🎨 step \\d+/40 · loss [-0-9.]+ · ETA .+"))
          .isNotEmpty()
          .anySatisfy(e -> assertThat(e.files()).containsKey("preview.png"));
      assertEditsPaced(edits, Duration.ofMillis(50));
    }
  }

  @Test
  void sameSeedAgain_isAnsweredFromTheCacheInTheFirstReply() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      SlashCommand command =
          imagine(
              CommandOption.string("prompt", "a red apple"),
              CommandOption.string("strategy", "search"),
              CommandOption.integer("steps", 3),
              CommandOption.integer("seed", 5));
      Interaction first = h.fake.slashCommand(command);
      awaitFinalEdit(h, first);
      List<Long> hitNanos = new ArrayList<>();

      for (int n = 0; n < 5; n++) {
        Interaction again = h.fake.slashCommand(command);
        RestCall reply = h.fake.awaitCall("POST", again.callbackPath(), WAIT);
        hitNanos.add(ackNanos(reply, again));
        assertThat(reply.json().path("type").asInt()).isEqualTo(MESSAGE);
        assertThat(reply.json().path("data").path("embeds").toString()).contains("cached");
        assertThat(reply.files()).hasSize(1);
      }
      System.out.printf(
          "discord cache hit: command -> final reply max %.1f ms over %d%n",
          hitNanos.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6, hitNanos.size());
    }
  }

  @Test
  void samePromptTwice_withoutASeed_secondIsTheCachedImageAtOnce_freshAndRerollMakeNewOnes()
      throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      SlashCommand command =
          imagine(
              CommandOption.string("prompt", "a red bicycle"),
              CommandOption.string("strategy", "search"),
              CommandOption.integer("steps", 3));
      Interaction first = h.fake.slashCommand(command);
      RestCall made = awaitFinalEdit(h, first);
      String seed = field(made.json(), "Seed");

      Interaction again = h.fake.slashCommand(command);
      RestCall cached = h.fake.awaitCall("POST", again.callbackPath(), WAIT);

      assertThat(cached.json().path("type").asInt())
          .as("the image itself, no deferring")
          .isEqualTo(MESSAGE);
      assertThat(cached.json().path("data").path("content").asText())
          .isEqualTo("cached · seed " + seed);
      assertThat(field(cached.json().path("data"), "Seed")).isEqualTo(seed);
      assertThat(cached.files().values().iterator().next())
          .isEqualTo(made.files().values().iterator().next());

      Interaction fresh =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a red bicycle"),
                  CommandOption.string("strategy", "search"),
                  CommandOption.integer("steps", 3),
                  CommandOption.bool("fresh", true)));
      assertThat(h.fake.awaitCall("POST", fresh.callbackPath(), WAIT).json().path("type").asInt())
          .isEqualTo(DEFERRED);
      assertThat(field(awaitFinalEdit(h, fresh).json(), "Seed")).isNotEqualTo(seed);

      String rerollId =
          customIds(made.json()).stream()
              .filter(id -> id.startsWith("imagine:reroll:"))
              .findFirst()
              .orElseThrow();
      Interaction press =
          h.fake.button(
              ButtonPress.of(rerollId, h.fake.originalMessage(first).path("id").asText()));
      RestCall rerolled = awaitFinalEdit(h, press);
      assertThat(field(rerolled.json(), "Seed")).isNotEqualTo(seed);
      assertThat(field(rerolled.json(), "Time")).isNotEqualTo("cached");
    }
  }

  @Test
  void engineFailure_theReplySaysWhatToDoWithAnIncidentId_theLogHasTheStackTrace()
      throws Exception {
    Engine broken =
        new Engine() {
          @Override
          public GenerationResult generate(
              GenerationRequest request, ProgressListener listener, CancellationSignal cancel) {
            throw new IllegalStateException("CUDA error: an illegal memory access at 0x7f3a");
          }

          @Override
          public void close() {}
        };
    try (LogCapture log = LogCapture.of(Worker.class);
        DiscordHarness h = DiscordHarness.startWith(broken, dir, Map.of(), Clock.systemUTC())) {
      Interaction i =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a lighthouse"),
                  CommandOption.integer("steps", 2)));

      RestCall failed = awaitEdit(h, i, body -> body.contains("❌"));

      String content = failed.json().path("content").asText();
      assertThat(content)
          .matches(
              "❌ Something went wrong while making your image \\(incident E-[A-Z0-9]{6}\\)\\. "
                  + "Try again; if it keeps happening, tell a moderator and quote the id\\.");
      assertThat(content).doesNotContain("CUDA", "0x7f3a", "Exception");
      String incident = content.replaceAll(".*\\((incident E-[A-Z0-9]{6})\\).*", "$1");
      assertThat(log.errors())
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains(
                          incident, "IllegalStateException: CUDA error", "at org.imaginebot."));
    }
  }

  @Test
  void handlerFailure_theEphemeralReplyHasAnIncidentId_neverTheDatabaseError() throws Exception {
    try (LogCapture log = LogCapture.of(DiscordBot.class);
        DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      try (Connection db =
              DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
          Statement st = db.createStatement()) {
        st.execute(
            "DROP ALL OBJECTS"); // the settings database loses its tables under the running bot
      }

      Interaction audit =
          h.fake.slashCommand(
              SlashCommand.of("imagine-admin", CommandOption.subcommand("audit"))
                  .withPermissions(FakeDiscord.MANAGE_SERVER));
      RestCall reply = h.fake.awaitCall("POST", audit.callbackPath(), WAIT);

      String content = reply.json().path("data").path("content").asText();
      assertThat(content)
          .matches(
              "Something went wrong while handling your command \\(incident E-[A-Z0-9]{6}\\)\\..*");
      assertThat(content)
          .doesNotContainIgnoringCase("settings")
          .doesNotContainIgnoringCase("jdbc")
          .doesNotContain("SQL");
      assertThat(reply.json().path("data").path("flags").asInt() & EPHEMERAL).isEqualTo(EPHEMERAL);
      String incident = content.replaceAll(".*\\((incident E-[A-Z0-9]{6})\\).*", "$1");
      assertThat(log.errors())
          .anySatisfy(
              e ->
                  assertThat(e).contains(incident, "SettingsStoreException", "at org.imaginebot."));
    }
  }

  @Test
  void attachedImage_isDownloadedAndUsedAsAnImagePrompt() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction plain =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a lighthouse"),
                  CommandOption.integer("steps", 3),
                  CommandOption.integer("seed", 4)));
      byte[] plainPng = awaitFinalEdit(h, plain).files().values().iterator().next();
      String upload = h.fake.upload("look.png", "image/png", plainPng, 64, 64);
      String text =
          h.fake.upload(
              "notes.txt",
              "text/plain",
              "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              -1,
              -1);

      Interaction guided =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a lighthouse"),
                  CommandOption.integer("steps", 3),
                  CommandOption.integer("seed", 4),
                  CommandOption.attachment("image", upload)));
      Interaction notImage =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a lighthouse"),
                  CommandOption.attachment("image", text)));

      assertThat(h.fake.awaitCall("POST", guided.callbackPath(), WAIT).json().path("type").asInt())
          .isEqualTo(DEFERRED);
      byte[] guidedPng = awaitFinalEdit(h, guided).files().values().iterator().next();
      assertThat(guidedPng).as("the image prompt changed the result").isNotEqualTo(plainPng);
      RestCall refused = h.fake.awaitCall("POST", notImage.callbackPath(), WAIT);
      assertThat(refused.json().path("data").path("flags").asInt() & EPHEMERAL)
          .isEqualTo(EPHEMERAL);
      assertThat(refused.json().path("data").path("content").asText())
          .startsWith("The image must be a PNG or JPEG");
    }
  }

  @Test
  void refusals_areEphemeral_andSayWhatToDo() throws Exception {
    try (DiscordHarness h =
        DiscordHarness.start(dir, Map.of("limits.bannedWords", "gore"), Clock.systemUTC())) {
      Interaction banned =
          h.fake.slashCommand(imagine(CommandOption.string("prompt", "lots of GORE")));
      Interaction weight =
          h.fake.slashCommand(imagine(CommandOption.string("prompt", "only bad:-1")));

      RestCall bannedReply = h.fake.awaitCall("POST", banned.callbackPath(), WAIT);
      RestCall weightReply = h.fake.awaitCall("POST", weight.callbackPath(), WAIT);
      ackNanos(bannedReply, banned);
      ackNanos(weightReply, weight);

      assertThat(bannedReply.json().path("type").asInt()).isEqualTo(MESSAGE);
      assertThat(bannedReply.json().path("data").path("flags").asInt() & EPHEMERAL)
          .isEqualTo(EPHEMERAL);
      assertThat(bannedReply.json().path("data").path("content").asText())
          .contains("\"gore\"", "not allowed on this server");
      assertThat(weightReply.json().path("data").path("flags").asInt() & EPHEMERAL)
          .isEqualTo(EPHEMERAL);
      assertThat(weightReply.json().path("data").path("content").asText())
          .contains("positive weight");
    }
  }

  @Test
  void refusalByTheServersRules_keepsNoButtonReference_andQuotesTheValueShort() throws Exception {
    try (DiscordHarness h =
        DiscordHarness.start(dir, Map.of("limits.bannedWords", "gore"), Clock.systemUTC())) {
      Interaction banned =
          h.fake.slashCommand(imagine(CommandOption.string("prompt", "lots of gore")));
      Interaction model =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a cat"),
                  CommandOption.string("model", "\u202E" + "m".repeat(3000))));
      h.fake.awaitCall("POST", banned.callbackPath(), WAIT);
      RestCall modelReply = h.fake.awaitCall("POST", model.callbackPath(), WAIT);

      // Discord's choices keep such a name out, a forged interaction does not: the reply was
      // over Discord's 2,000 characters, which JDA refuses, so the user got an incident
      String content = modelReply.json().path("data").path("content").asText();
      assertThat(content)
          .startsWith("There is no model called <U+202E>mmm")
          .contains("(3001 characters)")
          .doesNotContain("incident");
      assertThat(content.length()).isLessThan(300);
      assertThat(actionRefs(h)).isZero(); // each was kept for a week though nothing showed them

      Interaction accepted =
          h.fake.slashCommand(
              imagine(CommandOption.string("prompt", "a cat"), CommandOption.integer("steps", 2)));
      h.fake.awaitCall("POST", accepted.callbackPath(), WAIT);
      await("its buttons' reference, stored after the reply")
          .atMost(WAIT)
          .until(() -> actionRefs(h), n -> n == 1);
    }
  }

  private static long actionRefs(DiscordHarness h) throws Exception {
    try (java.sql.Connection c = h.app.database().dataSource().getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM action_ref")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void rerollButton_makesANewImageWithANewSeed() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a red apple"),
                  CommandOption.string("strategy", "search"),
                  CommandOption.integer("steps", 2),
                  CommandOption.integer("seed", 5)));
      RestCall done = awaitFinalEdit(h, first);
      String rerollId =
          customIds(done.json()).stream()
              .filter(id -> id.startsWith("imagine:reroll:"))
              .findFirst()
              .orElseThrow();

      Interaction press =
          h.fake.button(
              ButtonPress.of(rerollId, h.fake.originalMessage(first).path("id").asText()));

      RestCall rerolled = awaitFinalEdit(h, press);
      String seed = field(rerolled.json(), "Seed");
      assertThat(seed).isNotEqualTo("5");
      assertThat(rerolled.files().values().iterator().next())
          .isNotEqualTo(done.files().values().iterator().next());

      // The re-roll links back to the message it came from, and its PNG names the first job
      String messageId = h.fake.originalMessage(first).path("id").asText();
      assertThat(rerolled.json().path("embeds").get(0).path("description").asText())
          .isEqualTo(
              "Re-roll of [this image](https://discord.com/channels/"
                  + FakeDiscord.GUILD_ID
                  + "/"
                  + FakeDiscord.CHANNEL_ID
                  + "/"
                  + messageId
                  + ")");
      Provenance made = Provenance.read(rerolled.files().values().iterator().next()).orElseThrow();
      assertThat(made.parentJob()).isEqualTo(firstJobId(h));
      assertThat(made.toJson()).contains("\"parent_job\":\"" + firstJobId(h) + "\"");

      // An ordinary /imagine has neither
      assertThat(done.json().path("embeds").get(0).has("description")).isFalse();
      byte[] original = done.files().values().iterator().next();
      assertThat(Provenance.read(original).orElseThrow().parentJob()).isNull();
      assertThat(Provenance.read(original).orElseThrow().toJson()).doesNotContain("parent_job");
    }
  }

  /** The id of the first job the bot ran (the jobs table keeps finished ones). */
  private static String firstJobId(DiscordHarness h) throws Exception {
    try (java.sql.Connection c = h.app.database().dataSource().getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT id FROM jobs ORDER BY seq")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void variationsButton_keepsTheSeedAndMakesAnotherImage() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a red apple"),
                  CommandOption.integer("steps", 4),
                  CommandOption.integer("seed", 11)));
      RestCall done = awaitFinalEdit(h, first);
      String varyId =
          customIds(done.json()).stream()
              .filter(id -> id.startsWith("imagine:vary:"))
              .findFirst()
              .orElseThrow();

      Interaction press =
          h.fake.button(ButtonPress.of(varyId, h.fake.originalMessage(first).path("id").asText()));

      RestCall varied = awaitFinalEdit(h, press);
      assertThat(field(varied.json(), "Seed")).isEqualTo("11");
      assertThat(varied.json().path("embeds").get(0).path("description").asText())
          .startsWith("Variation of [this image](https://discord.com/channels/")
          .endsWith("/" + h.fake.originalMessage(first).path("id").asText() + ")");
      assertThat(
              Provenance.read(varied.files().values().iterator().next()).orElseThrow().parentJob())
          .isEqualTo(firstJobId(h));
      assertThat(varied.files().values().iterator().next())
          .isNotEqualTo(done.files().values().iterator().next());
    }
  }

  @Test
  void timelapseButton_repliesWithAnAnimatedGifOfThePreviews() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a red apple"),
                  CommandOption.integer("steps", 8)));
      RestCall done = awaitFinalEdit(h, first);
      String timelapseId =
          customIds(done.json()).stream()
              .filter(id -> id.startsWith("imagine:timelapse:"))
              .findFirst()
              .orElseThrow();

      Interaction press =
          h.fake.button(
              ButtonPress.of(timelapseId, h.fake.originalMessage(first).path("id").asText()));

      RestCall gif = h.fake.awaitCalls("PATCH", press.originalPath(), 1, WAIT).get(0);
      byte[] bytes = gif.files().get("timelapse.gif");
      assertThat(bytes).isNotNull();
      assertThat(new String(bytes, 0, 6, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("GIF89a");
      assertThat(bytes.length).isLessThan(10 << 20);
    }
  }

  @Test
  void infoButton_showsThePresserAloneWhatThePngRecords() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a *red* apple | still life:0.5"),
                  CommandOption.string("negative", "blurry"),
                  CommandOption.string("strategy", "search"),
                  CommandOption.integer("steps", 2),
                  CommandOption.integer("seed", 5),
                  CommandOption.integer("size", 48)));
      RestCall done = awaitFinalEdit(h, first);
      Provenance recorded = Provenance.read(done.files().values().iterator().next()).orElseThrow();
      String infoId =
          customIds(done.json()).stream()
              .filter(id -> id.startsWith("imagine:info:"))
              .findFirst()
              .orElseThrow();

      Interaction press =
          h.fake.button(ButtonPress.of(infoId, h.fake.originalMessage(first).path("id").asText()));

      RestCall reply = h.fake.awaitCall("POST", press.callbackPath(), WAIT);
      assertThat(reply.json().path("type").asInt()).isEqualTo(MESSAGE);
      JsonNode data = reply.json().path("data");
      assertThat(data.path("flags").asInt() & EPHEMERAL).isEqualTo(EPHEMERAL);
      assertThat(field(data, "Prompt"))
          .as("markdown in a prompt is shown, not applied")
          .isEqualTo("a \\*red\\* apple | still life:0.5");
      assertThat(field(data, "Avoiding")).isEqualTo("blurry (weight -1)");
      assertThat(field(data, "Seed")).isEqualTo("5 (chosen)");
      assertThat(field(data, "Steps")).isEqualTo("2");
      assertThat(field(data, "Strategy")).isEqualTo("search");
      assertThat(field(data, "Model")).isEqualTo("tiny");
      assertThat(field(data, "Size")).isEqualTo("48×48 px");
      assertThat(field(data, "Variation")).isEqualTo("none");
      assertThat(field(data, "Model files (sha256)"))
          .contains(
              "tiny/generator " + recorded.engine().files().get("tiny/generator").substring(0, 12));
      assertThat(field(data, "Engine")).startsWith("revision 1 · cutouts ");
      assertThat(data.path("embeds").get(0).path("footer").path("text").asText())
          .contains("imagine-bot generate --from FILE.png");
      assertThat(recorded.request().seed()).isEqualTo(5);
      assertThat(recorded.request().size()).isEqualTo(48);
    }
  }

  @Test
  void cancelButton_stopsTheRunForTheOwner_butNotForSomeoneElse() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction i =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a long night"),
                  CommandOption.integer("steps", 400)));
      RestCall progress = h.fake.awaitCalls("PATCH", i.originalPath(), 1, WAIT).get(0);
      String cancelId =
          customIds(progress.json()).stream()
              .filter(id -> id.startsWith("imagine:cancel:"))
              .findFirst()
              .orElseThrow();
      String messageId = h.fake.originalMessage(i).path("id").asText();

      Interaction stranger =
          h.fake.button(
              ButtonPress.of(cancelId, messageId).withUser("999999999999999999", "stranger"));
      RestCall refused = h.fake.awaitCall("POST", stranger.callbackPath(), WAIT);
      Interaction owner = h.fake.button(ButtonPress.of(cancelId, messageId));
      RestCall cancelled = h.fake.awaitCall("POST", owner.callbackPath(), WAIT);

      assertThat(refused.json().path("data").path("content").asText())
          .startsWith("Only the person who asked");
      assertThat(cancelled.json().path("data").path("content").asText()).isEqualTo("Cancelled.");
      awaitEdit(h, i, body -> body.contains("Cancelled."));
    }
  }

  @Test
  void adminCommands_moderatorChangesALimit_otherMembersAreRefused() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction member =
          h.fake.slashCommand(
              SlashCommand.of(
                  "imagine-admin",
                  CommandOption.subcommand(
                      "set",
                      CommandOption.string("setting", "maxSteps"),
                      CommandOption.string("value", "10"))));
      RestCall memberReply = h.fake.awaitCall("POST", member.callbackPath(), WAIT);
      Interaction moderator =
          h.fake.slashCommand(
              SlashCommand.of(
                      "imagine-admin",
                      CommandOption.subcommand(
                          "set",
                          CommandOption.string("setting", "maxSteps"),
                          CommandOption.string("value", "10")))
                  .withPermissions(FakeDiscord.MANAGE_SERVER));
      RestCall moderatorReply = h.fake.awaitCall("POST", moderator.callbackPath(), WAIT);
      Interaction tooMany =
          h.fake.slashCommand(
              imagine(CommandOption.string("prompt", "a cat"), CommandOption.integer("steps", 20)));
      RestCall refusal = h.fake.awaitCall("POST", tooMany.callbackPath(), WAIT);
      ackNanos(refusal, tooMany);
      ackNanos(moderatorReply, moderator);
      Interaction audit =
          h.fake.slashCommand(
              SlashCommand.of("imagine-admin", CommandOption.subcommand("audit"))
                  .withPermissions(FakeDiscord.MANAGE_SERVER));
      RestCall auditReply = h.fake.awaitCall("POST", audit.callbackPath(), WAIT);

      assertThat(memberReply.json().path("data").path("content").asText())
          .isEqualTo("Only moderators can change settings.");
      assertThat(memberReply.json().path("data").path("flags").asInt() & EPHEMERAL)
          .isEqualTo(EPHEMERAL);
      assertThat(moderatorReply.json().path("data").path("content").asText())
          .startsWith("Set maxSteps to 10.");
      assertThat(refusal.json().path("data").path("content").asText())
          .isEqualTo("--steps 20 is out of range: use 1 to 10");
      assertThat(auditReply.json().path("data").path("content").asText())
          .contains("maxSteps: 500 → 10");
    }
  }

  @Test
  void withoutAGuildId_commandsAreRegisteredGlobally() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC(), null)) {
      assertThat(h.fake.globalCommands().toString())
          .contains("\"imagine\"", "\"imagine-admin\"", "\"default_member_permissions\":\"32\"");
      assertThat(h.fake.calls("PUT", "applications/.*/guilds/.*/commands")).isEmpty();
    }
  }

  @Test
  void adminSettingName_autocompletes() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction i =
          h.fake.autocomplete(
              SlashCommand.of(
                      "imagine-admin",
                      CommandOption.subcommand(
                          "set", CommandOption.string("setting", "max").asFocused()))
                  .withPermissions(FakeDiscord.MANAGE_SERVER));

      RestCall reply = h.fake.awaitCall("POST", i.callbackPath(), WAIT);

      assertThat(reply.json().path("data").path("choices").toString())
          .contains("maxQueuedPerUser", "maxSteps", "maxSize")
          .doesNotContain("bannedWords");
    }
  }

  @Test
  void rateLimitedEdit_isRetriedAfterRetryAfter_andTheJobStillFinishes() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction i =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a storm"), CommandOption.integer("steps", 30)));
      h.fake.rateLimitNext("PATCH", i.originalPath(), 1.5);

      awaitFinalEdit(h, i);

      List<RestCall> edits = h.fake.calls("PATCH", i.originalPath());
      RestCall limited = edits.stream().filter(c -> c.status() == 429).findFirst().orElseThrow();
      RestCall retry = edits.get(edits.indexOf(limited) + 1);
      assertThat(retry.atNanos() - limited.atNanos())
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
    }
  }

  @Test
  void jobAskedForBeforeARestart_isPostedInItsChannelAfterwards() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction pause =
          h.fake.slashCommand(
              SlashCommand.of("imagine-admin", CommandOption.subcommand("pause"))
                  .withPermissions(FakeDiscord.MANAGE_SERVER));
      h.fake.awaitCall("POST", pause.callbackPath(), WAIT);
      Interaction asked =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a patient lighthouse"),
                  CommandOption.string("strategy", "search"),
                  CommandOption.integer("steps", 2)));
      h.fake.awaitCalls("PATCH", asked.originalPath(), 1, WAIT);
    }

    try (DiscordHarness restarted = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      RestCall posted =
          restarted.fake.awaitCall(
              "POST", "channels/" + FakeDiscord.CHANNEL_ID + "/messages", WAIT);

      assertThat(posted.json().path("content").asText())
          .isEqualTo(
              "<@"
                  + FakeDiscord.USER_ID
                  + ">, here is the image you asked for before the bot restarted.");
      assertThat(posted.json().path("allowed_mentions").path("parse")).isEmpty();
      assertThat(posted.files()).hasSize(1);
    }
  }

  @Test
  void buttonsOfAnImageMadeBeforeARestart_rerollAndVariationsWork_timelapseSaysTheFramesAreGone()
      throws Exception {
    List<String> buttons;
    String messageId;
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction first =
          h.fake.slashCommand(
              imagine(
                  CommandOption.string("prompt", "a red apple"),
                  CommandOption.integer("steps", 4),
                  CommandOption.integer("seed", 11)));
      buttons = customIds(awaitFinalEdit(h, first).json());
      messageId = h.fake.originalMessage(first).path("id").asText();
    }

    try (DiscordHarness restarted = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction reroll =
          restarted.fake.button(ButtonPress.of(button(buttons, "imagine:reroll:"), messageId));
      assertThat(field(awaitFinalEdit(restarted, reroll).json(), "Seed")).isNotEqualTo("11");
      Interaction vary =
          restarted.fake.button(ButtonPress.of(button(buttons, "imagine:vary:"), messageId));
      assertThat(field(awaitFinalEdit(restarted, vary).json(), "Seed")).isEqualTo("11");
      Interaction timelapse =
          restarted.fake.button(ButtonPress.of(button(buttons, "imagine:timelapse:"), messageId));

      RestCall gone = restarted.fake.awaitCall("POST", timelapse.callbackPath(), WAIT);

      assertThat(gone.json().path("data").path("flags").asInt() & EPHEMERAL).isEqualTo(EPHEMERAL);
      assertThat(gone.json().path("data").path("content").asText())
          .startsWith("The previews of this image are gone")
          .endsWith("Re-roll to make a new one.");
    }
  }

  private static String button(List<String> customIds, String prefix) {
    return customIds.stream()
        .filter(id -> id.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " button in " + customIds));
  }

  @Test
  void tokenAboutToExpire_theImageComesAsAChannelMessage() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction old =
          h.fake.slashCommand(
              imagine(
                      CommandOption.string("prompt", "a slow sunrise"),
                      CommandOption.string("strategy", "search"),
                      CommandOption.integer("steps", 3))
                  .withCreatedAt(Instant.now().minus(Duration.ofMinutes(14)).minusSeconds(45)));

      RestCall posted =
          h.fake.awaitCall("POST", "channels/" + FakeDiscord.CHANNEL_ID + "/messages", WAIT);

      assertThat(posted.json().path("content").asText()).contains("15 minutes");
      assertThat(posted.files()).hasSize(1);
      assertThat(h.fake.calls("PATCH", old.originalPath()))
          .as("no edit with a dying token")
          .isEmpty();
    }
  }

  @AfterAll
  static void printAckFigures() {
    List<Long> sorted = new ArrayList<>(ACK_NANOS);
    sorted.sort(Comparator.naturalOrder());
    if (!sorted.isEmpty()) {
      long p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
      System.out.printf(
          "discord ack latency: p99 %.1f ms, max %.1f ms over %d interactions%n",
          p99 / 1e6, sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }
  }

  private static RestCall awaitFinalEdit(DiscordHarness h, Interaction i)
      throws InterruptedException {
    return awaitEdit(h, i, body -> body.contains("imagine:reroll:"));
  }

  private static RestCall awaitEdit(
      DiscordHarness h, Interaction i, java.util.function.Predicate<String> match)
      throws InterruptedException {
    return await("a matching edit of " + i)
        .atMost(WAIT)
        .until(
            () ->
                h.fake.calls("PATCH", i.originalPath()).stream()
                    .filter(call -> call.status() == 200 && match.test(call.json().toString()))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static void assertEditsPaced(List<RestCall> edits, Duration interval) {
    for (int n = 1; n < edits.size(); n++) {
      assertThat(edits.get(n).atNanos() - edits.get(n - 1).atNanos())
          .as("edit %d follows the previous one after at least %s", n, interval)
          .isGreaterThanOrEqualTo(interval.toNanos());
    }
  }

  private static int maxInWindow(List<RestCall> calls, Duration window) {
    int most = 0;
    for (int a = 0; a < calls.size(); a++) {
      int inWindow = 0;
      for (int b = a;
          b < calls.size() && calls.get(b).atNanos() - calls.get(a).atNanos() < window.toNanos();
          b++) {
        inWindow++;
      }
      most = Math.max(most, inWindow);
    }
    return most;
  }

  private static List<String> customIds(JsonNode message) {
    List<String> ids = new ArrayList<>();
    message.findValues("custom_id").forEach(v -> ids.add(v.asText()));
    return ids;
  }

  private static String field(JsonNode message, String name) {
    for (JsonNode f : message.path("embeds").get(0).path("fields")) {
      if (f.path("name").asText().equals(name)) {
        return f.path("value").asText();
      }
    }
    throw new AssertionError("no field " + name + " in " + message);
  }
}
