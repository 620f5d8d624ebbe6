package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.discord.ButtonPress;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.imaginebot.provenance.Provenance;
import org.imaginebot.provenance.RunStateChunk;
import org.imaginebot.render.ContactSheet;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.testing.FreshImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buttons that go on from an image, end to end through the real JDA against the fake Discord on
 * the tiny models: a contact sheet, Refine, "+N steps", Edit prompt (a modal), Try 4 seeds and
 * Vary; each image checked for its size, its PNG's parameters and, for a continue, the bytes of one
 * run of all its steps made from nothing.
 */
final class DiscordFollowUpsTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int MODAL = 9;

  @TempDir Path dir;
  @TempDir Path freshCache;

  @Test
  void sheet_refine_continue_reprompt_chain() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction command =
          h.fake.slashCommand(
              SlashCommand.of(
                  "imagine",
                  CommandOption.string("prompt", "a lighthouse"),
                  CommandOption.integer("steps", 8),
                  CommandOption.integer("seed", 40),
                  CommandOption.integer("grid", 4)));

      // The sheet: one job, one message, a 2x2 PNG, Refine 1-4 and Vary 1-4
      RestCall sheet = awaitFinal(h, command);
      byte[] sheetPng = file(sheet);
      GenerationRequest sheetRequest = Provenance.read(sheetPng).orElseThrow().request();
      assertThat(sheetRequest.grid()).isEqualTo(4);
      assertThat(sheetRequest.seed()).isEqualTo(40);
      assertThat(customIds(sheet.json()))
          .anyMatch(id -> id.startsWith("imagine:refine1:"))
          .anyMatch(id -> id.startsWith("imagine:refine4:"))
          .anyMatch(id -> id.startsWith("imagine:vary3:"))
          .noneMatch(id -> id.startsWith("imagine:more:"));
      BufferedImage sheetImage = Png.decode(sheetPng);
      BufferedImage cell = Png.decode(ContactSheet.cell(sheetPng, 2));
      assertThat(sheetImage.getWidth()).isEqualTo(2 * cell.getWidth());
      assertThat(jobCount(h)).isEqualTo(1);

      // Refine 3: candidate 3 (seed 42, 2 steps) goes on for the sheet's 8 steps
      ButtonPress refinePress = press(h, command, sheet, "imagine:refine3:");
      Interaction refine = h.fake.button(refinePress);
      RestCall refined = awaitFinal(h, refine);
      byte[] refinedPng = file(refined);
      assertThat(field(refined.json(), "Seed")).isEqualTo("42");
      assertThat(field(refined.json(), "Steps")).isEqualTo("10");
      assertThat(description(refined)).startsWith("Refinement of [this image](");
      assertThat(Png.decode(refinedPng).getWidth()).isEqualTo(cell.getWidth());
      assertThat(withoutParent(refinedPng)).isEqualTo(fromNothing(request(42, 10)));
      assertThat(customIds(refined.json()))
          .anyMatch(id -> id.startsWith("imagine:more:"))
          .anyMatch(id -> id.startsWith("imagine:reprompt:"));
      assertThat(labels(refined.json())).contains("+8 steps", "Edit prompt", "Try 4 seeds");

      // +8 steps: the same bytes as one run of 18 steps
      Interaction more = h.fake.button(press(h, refine, refined, "imagine:more:"));
      RestCall continued = awaitFinal(h, more);
      byte[] continuedPng = file(continued);
      assertThat(field(continued.json(), "Steps")).isEqualTo("18");
      assertThat(description(continued)).startsWith("Continuation of [this image](");
      assertThat(withoutParent(continuedPng)).isEqualTo(fromNothing(request(42, 18)));
      assertThat(RunStateChunk.read(continuedPng).orElseThrow().step()).isEqualTo(18);

      // Edit prompt: a modal prefilled with the prompt; the new one goes on from this image
      ButtonPress editPress = press(h, more, continued, "imagine:reprompt:");
      Interaction edit = h.fake.button(editPress);
      RestCall modal =
          await()
              .atMost(WAIT)
              .until(() -> callback(h, edit, MODAL), Optional::isPresent)
              .orElseThrow();
      JsonNode modalData = modal.json().path("data");
      assertThat(modalData.findValue("value").asText()).isEqualTo("a lighthouse");
      Interaction submitted =
          h.fake.modalSubmit(
              editPress,
              modalData.path("custom_id").asText(),
              Map.of(DiscordMessages.REPROMPT_FIELD, "a red barn | storm:0.5"));
      RestCall reprompted = awaitFinal(h, submitted);
      byte[] repromptedPng = file(reprompted);
      Provenance repromptedMade = Provenance.read(repromptedPng).orElseThrow();
      assertThat(repromptedMade.request().describePrompt()).isEqualTo("a red barn | storm:0.5");
      assertThat(repromptedMade.request().steps()).isEqualTo(26);
      assertThat(repromptedMade.request().origin()).isEqualTo(request(42, 18));
      assertThat(reprompted.json().path("embeds").get(0).path("title").asText())
          .isEqualTo("a red barn | storm:0.5");
      assertThat(description(reprompted)).startsWith("Re-prompt of [this image](");
      assertThat(withoutParent(repromptedPng))
          .isEqualTo(fromNothing(request(42, 18).reprompted(repromptedMade.request().prompts(), 8)))
          .isNotEqualTo(withoutParent(continuedPng));

      // A bad prompt in the modal is answered to the presser alone
      Interaction empty =
          h.fake.modalSubmit(
              editPress, modalData.path("custom_id").asText(), Map.of("prompt", "  |  "));
      RestCall refusal =
          await()
              .atMost(WAIT)
              .until(() -> callback(h, empty, 4), Optional::isPresent)
              .orElseThrow();
      assertThat(refusal.json().path("data").path("flags").asInt() & 64).isEqualTo(64);
      assertThat(refusal.json().path("data").path("content").asText()).contains("prompt");
    }
  }

  @Test
  void tryFourSeeds_onAnImage_makesItsSheet_andVaryMakesAVariationOfACandidate() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      Interaction command =
          h.fake.slashCommand(
              SlashCommand.of(
                  "imagine",
                  CommandOption.string("prompt", "a quiet harbour"),
                  CommandOption.integer("steps", 4),
                  CommandOption.integer("seed", 7)));
      RestCall single = awaitFinal(h, command);

      Interaction tryPress = h.fake.button(press(h, command, single, "imagine:sheet:"));
      RestCall sheet = awaitFinal(h, tryPress);
      GenerationRequest sheetRequest = Provenance.read(file(sheet)).orElseThrow().request();
      assertThat(sheetRequest.grid()).isEqualTo(4);
      assertThat(sheetRequest.seed()).isEqualTo(7);
      assertThat(sheetRequest.steps()).isEqualTo(4);
      assertThat(description(sheet)).startsWith("Contact sheet of [this image](");

      Interaction vary = h.fake.button(press(h, tryPress, sheet, "imagine:vary2:"));
      RestCall varied = awaitFinal(h, vary);
      GenerationRequest variation = Provenance.read(file(varied)).orElseThrow().request();
      assertThat(variation.seed()).isEqualTo(8);
      assertThat(variation.steps()).isEqualTo(4);
      assertThat(variation.variation()).isPositive();

      // A search image cannot go on: no +N or Edit prompt, and a stale press says why
      Interaction search =
          h.fake.slashCommand(
              SlashCommand.of(
                  "imagine",
                  CommandOption.string("prompt", "a quiet harbour"),
                  CommandOption.string("strategy", "search"),
                  CommandOption.integer("steps", 2),
                  CommandOption.integer("seed", 7)));
      RestCall searched = awaitFinal(h, search);
      assertThat(customIds(searched.json()))
          .noneMatch(id -> id.startsWith("imagine:more:"))
          .anyMatch(id -> id.startsWith("imagine:sheet:"));
      String ref = button(customIds(searched.json()), "imagine:sheet:").substring(14);
      Interaction stale =
          h.fake.button(
              ButtonPress.of(
                  "imagine:more:" + ref, h.fake.originalMessage(search).path("id").asText()));
      RestCall refusal =
          await()
              .atMost(WAIT)
              .until(() -> callback(h, stale, 4), Optional::isPresent)
              .orElseThrow();
      assertThat(refusal.json().path("data").path("content").asText())
          .contains("Only images made with the adam strategy can be continued");
    }
  }

  private static GenerationRequest request(long seed, int steps) {
    return FreshImages.adam("a lighthouse", seed, steps);
  }

  private byte[] fromNothing(GenerationRequest request) {
    return new FreshImages(freshCache).make(request);
  }

  private static byte[] withoutParent(byte[] png) {
    return FreshImages.withoutParent(png);
  }

  private static ButtonPress press(
      DiscordHarness h, Interaction madeBy, RestCall message, String prefix) {
    return ButtonPress.of(
        button(customIds(message.json()), prefix),
        h.fake.originalMessage(madeBy).path("id").asText());
  }

  private static RestCall awaitFinal(DiscordHarness h, Interaction i) {
    return await("the final image of " + i)
        .atMost(WAIT)
        .until(
            () ->
                h.fake.calls().stream()
                    .filter(
                        call ->
                            call.status() / 100 == 2
                                && call.path().contains(i.token())
                                && !call.files().isEmpty()
                                && call.json().toString().contains("imagine:info:"))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static Optional<RestCall> callback(DiscordHarness h, Interaction i, int type) {
    return h.fake.calls("POST", "interactions/" + i.id() + "/" + i.token() + "/callback").stream()
        .filter(call -> call.json().path("type").asInt() == type)
        .findFirst();
  }

  private static byte[] file(RestCall call) {
    return call.files().values().iterator().next();
  }

  private static String description(RestCall call) {
    return call.json().path("embeds").get(0).path("description").asText();
  }

  private static long jobCount(DiscordHarness h) throws Exception {
    try (java.sql.Connection c = h.app.database().dataSource().getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM jobs")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> customIds(JsonNode message) {
    List<String> ids = new ArrayList<>();
    message.findValues("custom_id").forEach(v -> ids.add(v.asText()));
    return ids;
  }

  private static List<String> labels(JsonNode message) {
    List<String> labels = new ArrayList<>();
    message.findValues("label").forEach(v -> labels.add(v.asText()));
    return labels;
  }

  private static String button(List<String> ids, String prefix) {
    return ids.stream()
        .filter(id -> id.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " button in " + ids));
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
