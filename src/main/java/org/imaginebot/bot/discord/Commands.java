package org.imaginebot.bot.discord;

import java.util.List;
import java.util.Set;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.RequestBounds;
import org.imaginebot.request.RequestParser;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/**
 * The slash commands as Discord shows them. Options carry their types, ranges and choices so
 * Discord checks them before we do (we check again: the guild's own limits may be lower).
 */
final class Commands {

  static final String IMAGINE = "imagine";
  static final String ADMIN = "imagine-admin";
  static final String INFO = "imagine-info";
  static final String PREFS = "imagine-prefs";

  private Commands() {}

  /**
   * @param models generator ids offered as choices (Discord allows 25)
   * @param maxSteps the engine's step limit; a guild's may be lower
   */
  static List<SlashCommandData> all(Set<String> models, int maxSteps) {
    return List.of(imagine(models, maxSteps), admin(), info(), prefs(models, maxSteps));
  }

  private static OptionData model(Set<String> models, String description) {
    OptionData model = new OptionData(OptionType.STRING, "model", description);
    models.stream().sorted().limit(25).forEach(id -> model.addChoice(id, id));
    return model;
  }

  private static OptionData strategy(String description) {
    OptionData strategy = new OptionData(OptionType.STRING, "strategy", description);
    for (Strategy s : Strategy.values()) {
      strategy.addChoice(s.id(), s.id());
    }
    return strategy;
  }

  private static SlashCommandData imagine(Set<String> models, int maxSteps) {
    OptionData model = model(models, "Generator model");
    OptionData strategy = strategy("adam: optimize (Big Sleep); search: fast class search");
    return net.dv8tion.jda.api.interactions.commands.build.Commands.slash(
            IMAGINE, "Make an image from a text prompt")
        .setContexts(InteractionContextType.GUILD)
        .addOptions(
            new OptionData(
                    OptionType.STRING,
                    "prompt",
                    "What to draw; weights: a lighthouse | oil painting:0.5",
                    true)
                .setMaxLength(WeightedPrompt.MAX_TEXT_LENGTH),
            new OptionData(OptionType.STRING, "negative", "What to avoid")
                .setMaxLength(WeightedPrompt.MAX_TEXT_LENGTH),
            new OptionData(OptionType.INTEGER, "seed", "Same seed, same image")
                .setRequiredRange(0, RequestParser.MAX_SEED),
            new OptionData(
                OptionType.BOOLEAN,
                "fresh",
                "A new random seed: a new image even when this prompt was asked for before"),
            new OptionData(OptionType.INTEGER, "steps", "Optimizer steps")
                .setRequiredRange(1, maxSteps),
            strategy,
            model,
            new OptionData(OptionType.INTEGER, "size", "Output side in pixels")
                .setRequiredRange(RequestBounds.MIN_SIZE, GenerationRequest.MAX_SIZE),
            new OptionData(
                OptionType.ATTACHMENT, "image", "An image whose look to follow (PNG or JPEG)"),
            new OptionData(OptionType.INTEGER, "grid", "A contact sheet of seeds to pick from")
                .addChoice(
                    GenerationRequest.GRID + " seeds, a quarter of the steps each",
                    GenerationRequest.GRID));
  }

  private static SlashCommandData info() {
    return net.dv8tion.jda.api.interactions.commands.build.Commands.slash(
            INFO, "Your jobs, today's images against the quota, and this server's limits")
        .setContexts(InteractionContextType.GUILD);
  }

  /** Your own defaults; no option shows them. */
  private static SlashCommandData prefs(Set<String> models, int maxSteps) {
    return net.dv8tion.jda.api.interactions.commands.build.Commands.slash(
            PREFS, "Your own defaults for /imagine on this server: model, strategy, steps, grid")
        .setContexts(InteractionContextType.GUILD)
        .addOptions(
            model(models, "Model when /imagine names none"),
            strategy("Strategy when /imagine names none"),
            new OptionData(OptionType.INTEGER, "steps", "Steps when /imagine names none")
                .setRequiredRange(1, maxSteps),
            new OptionData(OptionType.INTEGER, "grid", "One image, or a contact sheet of seeds")
                .addChoice("one image", 1)
                .addChoice(
                    GenerationRequest.GRID + " seeds on a contact sheet", GenerationRequest.GRID),
            new OptionData(
                OptionType.BOOLEAN,
                "clear",
                "Remove your defaults (options given with it are then your only ones)"));
  }

  private static SlashCommandData admin() {
    return net.dv8tion.jda.api.interactions.commands.build.Commands.slash(
            ADMIN, "Moderate /imagine on this server")
        .setContexts(InteractionContextType.GUILD)
        .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
        .addSubcommands(
            new SubcommandData("queue", "Show this server's running and waiting jobs"),
            new SubcommandData("cancel", "Cancel a job")
                .addOption(OptionType.STRING, "job", "Job id (from queue)", true),
            new SubcommandData("pause", "Hold this server's waiting jobs"),
            new SubcommandData("resume", "Let this server's jobs run again"),
            new SubcommandData("get", "Show this server's settings"),
            new SubcommandData("set", "Change a setting at once")
                .addOptions(
                    new OptionData(OptionType.STRING, "setting", "Setting name", true)
                        .setAutoComplete(true),
                    new OptionData(
                        OptionType.STRING,
                        "value",
                        "New value (lists: comma-separated; * = all)",
                        true)),
            new SubcommandData("audit", "Who changed which setting"));
  }
}
