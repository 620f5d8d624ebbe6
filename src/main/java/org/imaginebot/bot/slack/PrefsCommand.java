package org.imaginebot.bot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import org.imaginebot.bot.ImagineService;
import org.imaginebot.bot.PrefsChange;
import org.imaginebot.bot.PrefsException;
import org.imaginebot.bot.PrefsText;
import org.imaginebot.bot.Requester;

/**
 * {@code /imagine-prefs model=tiny strategy=adam steps=50 | clear}: the user's own defaults for the
 * options {@code /imagine} leaves out in this workspace, read by {@link PrefsChange#parse}, saved
 * and checked by the core; the answer is the ephemeral acknowledgement.
 */
final class PrefsCommand {

  private static final String HOW_TO_CHANGE =
      "Change them with `/imagine-prefs model=tiny strategy=adam steps=50` (any of them);"
          + " `/imagine-prefs clear` removes them.";

  private final ImagineService imagine;

  PrefsCommand(ImagineService imagine) {
    this.imagine = imagine;
  }

  Response onCommand(SlashCommandRequest req, SlashCommandContext ctx) {
    SlashCommandPayload payload = req.getPayload();
    Requester requester =
        new Requester(
            payload.getUserId(),
            payload.getTeamId(),
            payload.getChannelId(),
            ImagineCommand.SOURCE);
    String answer;
    try {
      PrefsChange change = PrefsChange.parse(payload.getText());
      answer =
          PrefsText.reply(
              imagine.changePrefs(requester, change),
              change,
              "in this workspace",
              SlackText::escape,
              HOW_TO_CHANGE);
    } catch (PrefsException e) {
      answer = SlackText.escape(e.getMessage());
    }
    String text = answer;
    return ctx.ack(r -> r.responseType("ephemeral").text(text));
  }
}
