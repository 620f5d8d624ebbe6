package org.imaginebot.bot.discord;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import org.imaginebot.bot.Actor;
import org.imaginebot.bot.ModerationService;
import org.imaginebot.bot.NotAllowedException;
import org.imaginebot.bot.QueueView;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.Echo;
import org.imaginebot.settings.AuditEntry;
import org.imaginebot.settings.ScopeSettings;
import org.imaginebot.settings.Setting;
import org.imaginebot.settings.SettingException;

/**
 * /imagine-admin: every answer is ephemeral. Discord shows the command only to members with Manage
 * Server; {@link ModerationService} checks that right again for every call.
 */
final class AdminHandler {

  private static final int AUDIT_LINES = 15;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private final ModerationService moderation;

  AdminHandler(ModerationService moderation) {
    this.moderation = moderation;
  }

  void onAdmin(SlashCommandInteractionEvent event) {
    String guild = event.getGuild().getId();
    Actor actor = new Actor(event.getUser().getId(), ImagineHandler.isModerator(event));
    String answer;
    try {
      answer =
          switch (String.valueOf(event.getSubcommandName())) {
            case "queue" -> queue(moderation.queue(actor, guild));
            case "cancel" -> cancel(actor, guild, option(event, "job"));
            case "pause" -> {
              moderation.pause(actor, guild);
              yield "Paused: waiting jobs of this server stay queued until /imagine-admin resume. Running jobs finish.";
            }
            case "resume" -> {
              moderation.resume(actor, guild);
              yield "Resumed: this server's jobs run again.";
            }
            case "get" -> settings(moderation.settings(actor, guild));
            case "set" -> {
              String setting = option(event, "setting");
              ScopeSettings now = moderation.set(actor, guild, setting, option(event, "value"));
              Setting changed = Setting.byId(setting);
              yield "Set "
                  + changed.id()
                  + " to "
                  + now.value(changed)
                  + ". It applies from the next request.";
            }
            case "audit" -> audit(moderation.audit(actor, guild, AUDIT_LINES));
            default -> "Unknown subcommand; try /imagine-admin queue.";
          };
    } catch (NotAllowedException | SettingException e) {
      answer = e.getMessage();
    }
    event.reply(Echo.cut(answer, 2000)).setEphemeral(true).queue();
  }

  void onAutocomplete(CommandAutoCompleteInteractionEvent event) {
    String typed = event.getFocusedOption().getValue().toLowerCase(Locale.ROOT);
    List<Command.Choice> choices =
        java.util.Arrays.stream(Setting.values())
            .filter(s -> s.id().toLowerCase(Locale.ROOT).contains(typed))
            .limit(25)
            .map(s -> new Command.Choice(s.id(), s.id()))
            .toList();
    event.replyChoices(choices).queue();
  }

  private String cancel(Actor actor, String guild, String job) {
    JobId id;
    try {
      id = new JobId(job.strip());
    } catch (IllegalArgumentException e) {
      return "'" + job + "' is not a job id; /imagine-admin queue lists them.";
    }
    return ModerationService.describe(moderation.cancel(actor, guild, id), id, "on this server");
  }

  private static String queue(QueueView view) {
    StringBuilder sb =
        new StringBuilder(view.paused() ? "**Paused** (waiting jobs are held)\n" : "");
    sb.append("**Running** (").append(view.running().size()).append(")\n");
    view.running().forEach(e -> sb.append(line(e)));
    sb.append("**Waiting** (").append(view.waiting().size()).append(")\n");
    view.waiting().forEach(e -> sb.append('#').append(e.position()).append(' ').append(line(e)));
    return sb.toString();
  }

  private static String line(QueueView.Entry e) {
    return "`"
        + e.id()
        + "` <@"
        + e.userId()
        + "> "
        + e.steps()
        + " steps, "
        + e.model()
        + ": "
        + Echo.cut(e.prompt(), 80)
        + "\n";
  }

  private static String settings(ScopeSettings settings) {
    StringBuilder sb = new StringBuilder("**Settings of this server**\n");
    for (Setting s : Setting.values()) {
      sb.append("`")
          .append(s.id())
          .append("` = ")
          .append(settings.value(s))
          .append(" — ")
          .append(s.description())
          .append('\n');
    }
    return sb.toString();
  }

  private static String audit(List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      return "No setting of this server has been changed.";
    }
    StringBuilder sb = new StringBuilder("**Setting changes, newest first**\n");
    for (AuditEntry e : entries) {
      sb.append(TIME.format(e.at()))
          .append(" <@")
          .append(e.actorId())
          .append("> ")
          .append(e.setting().id())
          .append(": ")
          .append(e.oldValue())
          .append(" → ")
          .append(e.newValue())
          .append('\n');
    }
    return sb.toString();
  }

  private static String option(SlashCommandInteractionEvent event, String name) {
    OptionMapping option = event.getOption(name);
    return option == null ? "" : option.getAsString();
  }
}
