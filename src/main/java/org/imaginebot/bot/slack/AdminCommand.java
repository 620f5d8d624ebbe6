package org.imaginebot.bot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import java.time.format.DateTimeFormatter;
import java.util.List;
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
 * {@code /imagine-admin queue | cancel <job> | pause | resume | get [setting] | set <setting>
 * <value> | reset <setting> | audit}: the same moderation as Discord's, for the workspace ({@code
 * team_id}). Every answer is ephemeral; {@link ModerationService} refuses members with a clear
 * sentence.
 */
final class AdminCommand {

  static final String USAGE =
      "Usage: `/imagine-admin queue | cancel <job> | pause | resume | get [setting] | "
          + "set <setting> <value> | reset <setting> | audit`";
  private static final int AUDIT_LINES = 15;
  private static final int ANSWER_MAX = 3000;

  private final ModerationService moderation;
  private final Moderators moderators;

  AdminCommand(ModerationService moderation, Moderators moderators) {
    this.moderation = moderation;
    this.moderators = moderators;
  }

  Response onCommand(SlashCommandRequest req, SlashCommandContext ctx) {
    SlashCommandPayload payload = req.getPayload();
    String[] words = (payload.getText() == null ? "" : payload.getText().strip()).split("\\s+", 3);
    String team = payload.getTeamId();
    Actor actor = new Actor(payload.getUserId(), moderators.isModerator(payload.getUserId()));
    String answer;
    try {
      answer =
          switch (words[0]) {
            case "queue" -> queue(moderation.queue(actor, team));
            case "cancel" -> words.length < 2 ? USAGE : cancel(actor, team, words[1]);
            case "pause" -> {
              moderation.pause(actor, team);
              yield "Paused: waiting jobs of this workspace stay queued until `/imagine-admin resume`. Running jobs finish.";
            }
            case "resume" -> {
              moderation.resume(actor, team);
              yield "Resumed: this workspace's jobs run again.";
            }
            case "get" ->
                settings(moderation.settings(actor, team), words.length < 2 ? null : words[1]);
            case "set" -> {
              if (words.length < 3) {
                yield USAGE;
              }
              ScopeSettings now = moderation.set(actor, team, words[1], words[2]);
              Setting changed = Setting.byId(words[1]);
              yield "Set "
                  + changed.id()
                  + " to "
                  + now.value(changed)
                  + ". It applies from the next request.";
            }
            case "reset" -> {
              if (words.length < 2) {
                yield USAGE;
              }
              ScopeSettings now = moderation.reset(actor, team, words[1]);
              Setting changed = Setting.byId(words[1]);
              yield "Reset " + changed.id() + " to its default, " + now.value(changed) + ".";
            }
            case "audit" -> audit(moderation.audit(actor, team, AUDIT_LINES));
            default -> USAGE;
          };
    } catch (NotAllowedException e) {
      answer =
          e.getMessage()
              + " Ask a workspace admin, or the bot's operator to add you to slack.moderators.";
    } catch (SettingException e) {
      answer = e.getMessage();
    }
    String text = Echo.cut(SlackText.escape(answer), ANSWER_MAX);
    return ctx.ack(r -> r.responseType("ephemeral").text(text));
  }

  private String cancel(Actor actor, String team, String job) {
    JobId id;
    try {
      id = new JobId(job);
    } catch (IllegalArgumentException e) {
      return "'" + job + "' is not a job id; `/imagine-admin queue` lists them.";
    }
    return ModerationService.describe(moderation.cancel(actor, team, id), id, "in this workspace");
  }

  private static String queue(QueueView view) {
    StringBuilder sb = new StringBuilder(view.paused() ? "Paused (waiting jobs are held)\n" : "");
    sb.append("Running (").append(view.running().size()).append(")\n");
    view.running().forEach(e -> sb.append(line(e)));
    sb.append("Waiting (").append(view.waiting().size()).append(")\n");
    view.waiting().forEach(e -> sb.append('#').append(e.position()).append(' ').append(line(e)));
    return sb.toString();
  }

  private static String line(QueueView.Entry e) {
    return e.id()
        + " by "
        + e.userId()
        + ", "
        + e.steps()
        + " steps, "
        + e.model()
        + ": "
        + Echo.cut(e.prompt(), 80)
        + "\n";
  }

  private static String settings(ScopeSettings settings, String only) {
    StringBuilder sb = new StringBuilder("Settings of this workspace\n");
    for (Setting s : Setting.values()) {
      if (only == null || s.id().equalsIgnoreCase(only)) {
        sb.append(s.id())
            .append(" = ")
            .append(settings.value(s))
            .append(" — ")
            .append(s.description())
            .append('\n');
      }
    }
    return only != null && sb.indexOf("=") < 0
        ? "There is no setting called " + only + "; `/imagine-admin get` lists them."
        : sb.toString();
  }

  private static String audit(List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      return "No setting of this workspace has been changed.";
    }
    StringBuilder sb = new StringBuilder("Setting changes, newest first\n");
    for (AuditEntry e : entries) {
      sb.append(DateTimeFormatter.ISO_INSTANT.format(e.at()))
          .append(' ')
          .append(e.actorId())
          .append(' ')
          .append(e.setting().id())
          .append(": ")
          .append(e.oldValue())
          .append(" → ")
          .append(e.newValue())
          .append('\n');
    }
    return sb.toString();
  }
}
