package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.imaginebot.bench.FuzzAnswers;
import org.imaginebot.bench.FuzzCase;
import org.imaginebot.bench.FuzzCases;
import org.imaginebot.bench.FuzzStore;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.bot.discord.DiscordLogin;
import org.imaginebot.bot.slack.SlackLogin;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench fuzz}'s cases through both chat adapters as {@code serve} runs them: signed {@code
 * /imagine} commands and form submissions into the real Bolt app against {@link FakeSlack}, and
 * {@code /imagine} interactions (the line split into the slash command's fields) into the real JDA
 * against {@link FakeDiscord}, on one core whose queue is paused.
 *
 * <p>Every command must be answered (an ephemeral refusal a user can read, or a queued reply),
 * never with an incident, an exception or a secret, and the store must hold exactly what was
 * admitted: the queued jobs, one button reference per accepted request, no settings or audit rows.
 * The seed is fixed so the build is repeatable; {@code bench fuzz} draws new ones, and {@code mvn
 * test -Dtest=FuzzAdaptersTest -Dimagine.fuzz.seed=N -Dimagine.fuzz.cases=M} runs others here.
 */
final class FuzzAdaptersTest {

  /** Fixed, so the build is repeatable; {@code -Dimagine.fuzz.seed=N} explores others. */
  private static final long SEED = Long.getLong("imagine.fuzz.seed", 20_250_601L);

  private static final int CASES = Integer.getInteger("imagine.fuzz.cases", 500);
  private static final int USERS = 60;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int DEFERRED = 5;
  private static final int MESSAGE = 4;
  private static final int EPHEMERAL = 1 << 6;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** What one target answered. */
  private static final class Tally {
    final String target;
    final List<String> failures = new ArrayList<>();
    final long startNanos = System.nanoTime();
    int refused;
    int accepted;
    long nanos;

    Tally(String target) {
      this.target = target;
    }

    Tally done() {
      nanos = System.nanoTime() - startNanos;
      return this;
    }

    void fail(FuzzCase c, String what) {
      failures.add(
          target
              + " case "
              + c.index()
              + " ("
              + c.kind()
              + "): "
              + what
              + "; input "
              + FuzzCase.literal(c.line(), 300));
    }

    void refusal(FuzzCase c, String text) {
      refused++;
      FuzzAnswers.problem(text).ifPresent(p -> fail(c, p + " in " + FuzzCase.literal(text, 300)));
      for (String secret : SECRETS) {
        if (text.contains(secret)) {
          fail(c, "the answer shows a secret");
        }
      }
    }

    @Override
    public String toString() {
      return String.format(
          "%s: %d refused, %d accepted in %.1f s", target, refused, accepted, nanos / 1e9);
    }
  }

  private static final List<String> SECRETS =
      List.of(FakeDiscord.BOT_TOKEN, FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET);

  @Test
  void fuzzedCommands_onSlackAndDiscord_areAllAnsweredClearly_andOnlyAdmittedJobsAreStored()
      throws Exception {
    List<FuzzCase> cases = FuzzCases.seeded(SEED).take(CASES);
    System.out.println("fuzz adapters: seed " + SEED + ", " + CASES + " cases per target");
    try (FakeDiscord discord = FakeDiscord.start();
        FakeSlack slack = FakeSlack.start()) {
      discord.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
      AppConfig config = config(discord, slack);
      ModelManifest manifest =
          ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
      try (BotApplication app =
          BotApplication.open(
              config,
              manifest,
              BotApplication.engine(config, manifest),
              new BotMetrics(),
              Clock.systemUTC())) {
        app.queue().pause(); // nothing runs: every admitted job stays in the store
        app.startServing(
            new DiscordLogin(FakeDiscord.BOT_TOKEN, FakeDiscord.GUILD_ID),
            new SlackLogin(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET),
            Clock.systemUTC());
        DataSource db = app.database().dataSource();
        Map<String, Long> before = FuzzStore.counts(db);
        int port = app.slack().orElseThrow().port();

        Tally slackCommands = slackCommands(slack, port, cases);
        Tally slackForms = slackForms(slack, port, cases);
        List<Interaction> deferred = new ArrayList<>();
        Tally discordCommands = discordCommands(discord, cases, deferred);
        System.out.println(
            "fuzz adapters: " + slackCommands + "; " + slackForms + "; " + discordCommands);

        long replies = System.nanoTime();
        List<String> failures = new ArrayList<>();
        failures.addAll(slackCommands.failures);
        failures.addAll(slackForms.failures);
        failures.addAll(discordCommands.failures);
        failures.forEach(System.out::println);
        assertThat(failures).as("fuzz failures (seed " + SEED + ")").isEmpty();

        // Every accepted command got its reply: a channel message on Slack (or the form, for
        // no text), the deferred reply edited on Discord.
        int slackPosts = slackCommands.accepted + slackForms.accepted;
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(
                            slack.calls("chat.postMessage").size()
                                + slack.calls("views.open").size())
                        .isEqualTo(slackPosts));
        for (Interaction i : deferred) {
          discord.awaitCall("PATCH", i.originalPath(), WAIT);
        }
        System.out.printf(
            "fuzz adapters: replies of accepted commands seen %.1f s later%n",
            (System.nanoTime() - replies) / 1e9);
        assertNoInternalsOrSecrets(discord, slack);

        long forms = slack.calls("views.open").size();
        long acceptedRequests = slackPosts - forms + deferred.size();
        await("the accepted requests' button references, stored after their replies")
            .atMost(WAIT)
            .until(
                () -> FuzzStore.counts(db).get("action_ref") - before.get("action_ref"),
                n -> n >= acceptedRequests);
        Map<String, Long> after = FuzzStore.counts(db);
        long jobs = after.get("jobs") - before.get("jobs");
        assertThat(jobs).as("job rows").isEqualTo(app.queue().snapshot().size());
        assertThat(after.get("job_reply") - before.get("job_reply")).isEqualTo(jobs);
        assertThat(after.get("quota_used") - before.get("quota_used")).isEqualTo(jobs);
        assertThat(FuzzStore.differing(app.queue(), db, System.out::println)).isZero();
        assertThat(after.get("action_ref") - before.get("action_ref"))
            .as("button references: one per accepted request, none for a refused one")
            .isEqualTo(acceptedRequests);
        assertThat(after.get("settings_override")).isEqualTo(before.get("settings_override"));
        assertThat(after.get("settings_audit")).isEqualTo(before.get("settings_audit"));
        assertThat(after.get("user_prefs")).isEqualTo(before.get("user_prefs"));
        assertThat(jobs).as("some fuzzed requests were admitted").isPositive();
      }
    }
  }

  /** Each case's line as {@code /imagine} text. */
  private static Tally slackCommands(FakeSlack slack, int port, List<FuzzCase> cases)
      throws Exception {
    Tally tally = new Tally("slack /imagine");
    List<String> bodies = new ArrayList<>();
    for (FuzzCase c : cases) {
      String body =
          FakeSlack.slashCommand(
              slackUser(c),
              "/imagine",
              c.line(),
              FakeSlack.CHANNEL_ID,
              // unique per case, so an identical command is not taken for a replay
              "https://hooks.slack.invalid/commands/T0FAKE/" + c.index() + "/fuzz");
      bodies.add(body);
    }
    List<HttpResponse<String>> acks = postAll(slack, port, bodies);
    for (FuzzCase c : cases) {
      HttpResponse<String> ack = acks.get(c.index());
      if (ack.statusCode() != 200) {
        tally.fail(c, "HTTP " + ack.statusCode());
      } else if (ack.body().isBlank()) {
        tally.accepted++;
      } else {
        JsonNode answer = JSON.readTree(ack.body());
        if (!"ephemeral".equals(answer.path("response_type").asText())) {
          tally.fail(c, "a refusal that is not ephemeral: " + ack.body());
        }
        tally.refusal(c, unescape(answer.path("text").asText()));
      }
    }
    return tally.done();
  }

  /**
   * Each case in the {@code /imagine} form: prompt, avoid, seed and steps typed; selects forged.
   */
  private static Tally slackForms(FakeSlack slack, int port, List<FuzzCase> cases)
      throws Exception {
    Tally tally = new Tally("slack form");
    List<String> bodies = new ArrayList<>();
    for (FuzzCase c : cases) {
      Map<String, String> options = c.options();
      Map<String, String> texts = new HashMap<>();
      texts.put("prompt", c.prompt());
      putIfPresent(texts, "negative", options.get("no"));
      putIfPresent(texts, "seed", options.get("seed"));
      putIfPresent(texts, "steps", options.get("steps"));
      texts.put("fuzz_case", Integer.toString(c.index())); // unique, not a replay
      Map<String, String> selected = new HashMap<>();
      putIfPresent(selected, "strategy", options.get("strategy"));
      putIfPresent(selected, "model", options.get("model"));
      bodies.add(
          FakeSlack.formSubmission(
              slackUser(c), "imagine_modal", FakeSlack.CHANNEL_ID, texts, selected));
    }
    List<HttpResponse<String>> acks = postAll(slack, port, bodies);
    for (FuzzCase c : cases) {
      HttpResponse<String> ack = acks.get(c.index());
      if (ack.statusCode() != 200) {
        tally.fail(c, "HTTP " + ack.statusCode());
      } else if (ack.body().isBlank()) {
        tally.accepted++;
      } else {
        JsonNode answer = JSON.readTree(ack.body());
        JsonNode errors = answer.path("errors");
        if (!"errors".equals(answer.path("response_action").asText()) || errors.size() != 1) {
          tally.fail(c, "not one field error: " + ack.body());
        } else {
          tally.refusal(c, errors.elements().next().asText());
        }
      }
    }
    return tally.done();
  }

  /**
   * Each case as Discord's {@code /imagine}: the prompt field, and the fields the line's options
   * name (integer fields only with a value Discord can carry as an integer).
   */
  private static Tally discordCommands(
      FakeDiscord discord, List<FuzzCase> cases, List<Interaction> deferred) {
    Tally tally = new Tally("discord /imagine");
    for (FuzzCase c : cases) {
      List<CommandOption> fields = new ArrayList<>();
      fields.add(CommandOption.string("prompt", c.prompt()));
      c.options()
          .forEach(
              (name, value) -> {
                switch (name) {
                  case "no" -> fields.add(CommandOption.string("negative", value));
                  case "model", "strategy" -> fields.add(CommandOption.string(name, value));
                  case "seed" -> {
                    if (value.equalsIgnoreCase("random")) {
                      fields.add(CommandOption.bool("fresh", true));
                    } else {
                      integer(value).ifPresent(v -> fields.add(CommandOption.integer(name, v)));
                    }
                  }
                  default ->
                      integer(value).ifPresent(v -> fields.add(CommandOption.integer(name, v)));
                }
              });
      Interaction i =
          discord.slashCommand(
              new SlashCommand(
                  FakeDiscord.GUILD_ID,
                  FakeDiscord.CHANNEL_ID,
                  String.format("13000000000000%05d", c.index() % USERS),
                  "fuzzer",
                  0L,
                  "imagine",
                  fields,
                  Instant.now()));
      RestCall callback;
      try {
        callback = discord.awaitCall("POST", i.callbackPath(), WAIT);
      } catch (AssertionError e) {
        tally.fail(c, "no answer within " + WAIT);
        continue;
      }
      JsonNode answer = callback.json();
      int type = answer.path("type").asInt();
      if (type == DEFERRED) {
        tally.accepted++;
        deferred.add(i);
      } else if (type == MESSAGE
          && (answer.path("data").path("flags").asInt() & EPHEMERAL) == EPHEMERAL) {
        tally.refusal(c, answer.path("data").path("content").asText());
      } else {
        tally.fail(c, "neither deferred nor an ephemeral refusal: " + answer);
      }
    }
    return tally.done();
  }

  /**
   * Posts the bodies a few at a time, as a busy workspace would (the endpoint's answers each wait
   * out a delayed ACK on loopback, about 40 ms, so one at a time would take minutes), and returns
   * the answers in the bodies' order.
   */
  private static List<HttpResponse<String>> postAll(FakeSlack slack, int port, List<String> bodies)
      throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (String body : bodies) {
        sent.add(senders.submit(() -> slack.post(port, body)));
      }
      List<HttpResponse<String>> acks = new ArrayList<>();
      for (Future<HttpResponse<String>> ack : sent) {
        acks.add(ack.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
      return acks;
    } finally {
      senders.shutdownNow();
    }
  }

  /** Nothing either platform was sent shows an incident, an exception or a secret. */
  private static void assertNoInternalsOrSecrets(FakeDiscord discord, FakeSlack slack) {
    for (RestCall call : discord.calls()) {
      assertThat(call.text())
          .as(call.toString())
          .doesNotContain("incident E-", "Exception")
          .doesNotContain(SECRETS);
    }
    for (ApiCall call : slack.calls()) {
      for (String param : List.of("text", "blocks")) {
        String value = call.param(param);
        if (value != null) {
          assertThat(value)
              .as(call.method())
              .doesNotContain("incident E-", "Exception")
              .doesNotContain(SECRETS);
        }
      }
    }
  }

  private AppConfig config(FakeDiscord discord, FakeSlack slack) {
    Map<String, String> settings = new HashMap<>();
    settings.put("queue.database", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    settings.put("cache.diskDir", dir.resolve("cache").toString());
    settings.put("limits.requestsPerMinute", "600");
    settings.put("limits.scopeRequestsPerMinute", "10000");
    settings.put("limits.dailyImagesPerUser", "2");
    settings.put("limits.bannedWords", "gore, drop table");
    settings.put("discord.apiUrl", discord.restBaseUrl());
    settings.put("discord.gatewayUrl", discord.gatewayUrl());
    settings.put("discord.minEditInterval", "PT0.5S");
    settings.put("slack.port", "0");
    settings.put("slack.apiUrl", slack.apiUrl());
    settings.put("slack.minUpdateInterval", "PT0.5S");
    return ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), settings);
  }

  private static String slackUser(FuzzCase c) {
    return String.format("UFUZZ%03d", c.index() % USERS);
  }

  private static Optional<Long> integer(String value) {
    try {
      return Optional.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** Slack's text with its three escapes undone, as the user reads it. */
  private static String unescape(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
