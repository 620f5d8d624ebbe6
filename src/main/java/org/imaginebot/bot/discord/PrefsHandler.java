package org.imaginebot.bot.discord;

import java.util.Optional;
import java.util.OptionalInt;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.utils.MarkdownSanitizer;
import org.imaginebot.bot.ImagineService;
import org.imaginebot.bot.PrefsChange;
import org.imaginebot.bot.PrefsException;
import org.imaginebot.bot.PrefsText;
import org.imaginebot.bot.Requester;

/**
 * {@code /imagine-prefs}: the member's own defaults for the options {@code /imagine} leaves out,
 * saved and checked by the core; every answer is ephemeral.
 */
final class PrefsHandler {

  private static final String HOW_TO_CHANGE =
      "Change them with /imagine-prefs model, strategy, steps or grid; clear:True removes them.";

  private final ImagineService imagine;

  PrefsHandler(ImagineService imagine) {
    this.imagine = imagine;
  }

  void onPrefs(SlashCommandInteractionEvent event) {
    PrefsChange change =
        new PrefsChange(
            Optional.ofNullable(event.getOption("clear"))
                .map(OptionMapping::getAsBoolean)
                .orElse(false),
            string(event, "model"),
            string(event, "strategy"),
            number(event, "steps"),
            number(event, "grid"));
    Requester requester =
        new Requester(
            event.getUser().getId(),
            event.getGuild().getId(),
            event.getChannelId(),
            ImagineHandler.SOURCE);
    String answer;
    try {
      answer =
          PrefsText.reply(
              imagine.changePrefs(requester, change),
              change,
              "on this server",
              MarkdownSanitizer::escape,
              HOW_TO_CHANGE);
    } catch (PrefsException e) {
      answer = e.getMessage();
    }
    event.reply(answer).setEphemeral(true).queue();
  }

  private static Optional<String> string(SlashCommandInteractionEvent event, String name) {
    return Optional.ofNullable(event.getOption(name)).map(OptionMapping::getAsString);
  }

  /** Discord checks the range; a value beyond an int is out of any range the core accepts. */
  private static OptionalInt number(SlashCommandInteractionEvent event, String name) {
    OptionMapping option = event.getOption(name);
    if (option == null) {
      return OptionalInt.empty();
    }
    long value = option.getAsLong();
    return OptionalInt.of((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value)));
  }
}
