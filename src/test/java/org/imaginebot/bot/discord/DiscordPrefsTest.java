package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /imagine-prefs} end to end: the real JDA and the whole bot against the fake Discord, the
 * real engine on the tiny models. Every assertion reads the REST calls the fake recorded.
 */
final class DiscordPrefsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MESSAGE = 4;
  private static final int EPHEMERAL = 1 << 6;

  @TempDir Path dir;

  @Test
  void
      prefs_areSavedAndShown_fillWhatImagineLeavesOut_explicitOptionsWin_badOnesAreRefused_clearWorks()
          throws Exception {
    try (DiscordHarness h =
        DiscordHarness.start(dir, Map.of("limits.maxSteps", "20"), Clock.systemUTC())) {
      JsonNode command = registered(h, "imagine-prefs");
      assertThat(command.path("options"))
          .extracting(option -> option.path("name").asText())
          .containsExactly("model", "strategy", "steps", "grid", "clear");
      assertThat(command.toString()).contains("\"tiny-stylegan\"", "\"search\"");

      String saved =
          answer(
              h,
              prefs(CommandOption.string("strategy", "search"), CommandOption.integer("steps", 3)));

      assertThat(saved)
          .startsWith(
              "Saved. Your defaults on this server: model tiny (default), strategy search (yours),"
                  + " 3 steps (yours), one image (default).\nOptions you give with /imagine win over these.");
      JsonNode filled =
          finalImage(h, imagine(CommandOption.string("prompt", "a lighthouse by default")));
      assertThat(field(filled, "Steps")).isEqualTo("3");
      assertThat(field(filled, "Strategy")).isEqualTo("search");
      assertThat(field(filled, "Model")).isEqualTo("tiny");
      JsonNode explicit =
          finalImage(
              h,
              imagine(
                  CommandOption.string("prompt", "a lighthouse by choice"),
                  CommandOption.integer("steps", 2),
                  CommandOption.string("strategy", "adam")));
      assertThat(field(explicit, "Steps")).isEqualTo("2");
      assertThat(field(explicit, "Strategy")).isEqualTo("adam");

      assertThat(answer(h, prefs(CommandOption.integer("steps", 30))))
          .isEqualTo("steps must be between 1 and 20 here, got 30.");
      assertThat(answer(h, prefs()))
          .as("nothing changed by the refusal")
          .contains("strategy search (yours), 3 steps (yours)");
      assertThat(answer(h, prefs(CommandOption.bool("clear", true))))
          .startsWith(
              "Your defaults are cleared. You have no defaults of your own on this server:"
                  + " /imagine uses model tiny, strategy adam, 20 steps, one image.");
    }
  }

  @Test
  void prefs_outliveARestart_andImagineInfoShowsThem() throws Exception {
    try (DiscordHarness h = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      answer(
          h,
          prefs(CommandOption.string("model", "tiny-stylegan"), CommandOption.integer("steps", 2)));
    }

    try (DiscordHarness restarted = DiscordHarness.start(dir, Map.of(), Clock.systemUTC())) {
      String info = answer(restarted, SlashCommand.of("imagine-info"));

      assertThat(info)
          .startsWith("You have no jobs waiting or running on this server.\n")
          .contains(
              "\nYour defaults on this server: model tiny-stylegan (yours), strategy adam"
                  + " (default), 2 steps (yours), one image (default).\n");
    }
  }

  private static SlashCommand prefs(CommandOption... options) {
    return SlashCommand.of("imagine-prefs", options);
  }

  private static SlashCommand imagine(CommandOption... options) {
    return SlashCommand.of("imagine", options);
  }

  private static JsonNode registered(DiscordHarness h, String name) {
    for (JsonNode command : h.fake.guildCommands(FakeDiscord.GUILD_ID)) {
      if (command.path("name").asText().equals(name)) {
        return command;
      }
    }
    throw new AssertionError("no command " + name + " registered");
  }

  /** The text of the command's ephemeral answer. */
  private static String answer(DiscordHarness h, SlashCommand command) {
    Interaction i = h.fake.slashCommand(command);
    RestCall reply = h.fake.awaitCall("POST", i.callbackPath(), WAIT);
    assertThat(reply.json().path("type").asInt()).isEqualTo(MESSAGE);
    assertThat(reply.json().path("data").path("flags").asInt() & EPHEMERAL).isEqualTo(EPHEMERAL);
    return reply.json().path("data").path("content").asText();
  }

  /** The message that shows the finished image of an {@code /imagine}. */
  private static JsonNode finalImage(DiscordHarness h, SlashCommand command) {
    Interaction i = h.fake.slashCommand(command);
    return await("the final edit of " + i)
        .atMost(WAIT)
        .until(
            () ->
                h.fake.calls("PATCH", i.originalPath()).stream()
                    .filter(
                        c -> c.status() == 200 && c.json().toString().contains("imagine:reroll:"))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow()
        .json();
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
