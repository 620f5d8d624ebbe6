package org.imaginebot.bot.discord;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.utils.messages.MessageRequest;
import org.imaginebot.bot.BotServices;
import org.imaginebot.bot.JobTimes;
import org.imaginebot.incident.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord adapter: a JDA client per shard this node runs (one when unsharded; no privileged
 * intents, no member or message caches) that registers /imagine, /imagine-admin, /imagine-info and
 * /imagine-prefs and routes their interactions to the core.
 *
 * <p>Where it connects comes from {@link DiscordConfig}, so the whole bot can run against a local
 * fake Discord. No message the bot sends can ping: allowed mentions are empty for every message.
 */
public final class DiscordBot implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscordBot.class);

  private final DiscordShards shards;
  private final ScheduledExecutorService editScheduler;
  private final String commandsRegistered;

  private DiscordBot(
      DiscordShards shards, ScheduledExecutorService editScheduler, String commandsRegistered) {
    this.shards = shards;
    this.editScheduler = editScheduler;
    this.commandsRegistered = commandsRegistered;
  }

  /**
   * Connects this node's shards, waits for READY on each and registers the commands: in the login's
   * guild at once when given, else globally (Discord may take a while to show global changes).
   * Sharded, only the node running the guild's shard (globally: shard 0) registers them, so nodes
   * do not overwrite each other's list. Call it before the workers start, so jobs resumed from the
   * last run are delivered to their channels.
   *
   * @param services the core; its models, step limit and concurrency shape the commands and
   *     estimates
   * @param clock decides when an interaction token is too old to edit with (tests move it)
   */
  public static DiscordBot start(
      DiscordLogin login, DiscordConfig config, BotServices services, Clock clock)
      throws InterruptedException {
    String guildId = login.guildId();
    MessageRequest.setDefaultMentions(EnumSet.noneOf(Message.MentionType.class));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "discord-edits");
              t.setDaemon(true);
              return t;
            });
    ImagineHandler imagine =
        new ImagineHandler(
            services.imagine(),
            services.moderation(),
            services.actionRefs(),
            scheduler,
            config.minEditInterval(),
            new JobTimes(Duration.ofSeconds(30), services.gpuConcurrency()),
            clock);
    AdminHandler admin = new AdminHandler(services.moderation());
    DiscordShards shards;
    try {
      shards =
          connect(
              login.token(),
              config,
              new Listener(imagine, admin, new PrefsHandler(services.imagine())));
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
      throw e;
    }
    String registered;
    try {
      shards.awaitReady();
      services
          .imagine()
          .onResumed(
              ImagineHandler.SOURCE,
              (requester, request) ->
                  new ResumedReply(
                      shards::channel, requester, request, imagine.remember(request, requester)));
      registered = register(shards, guildId, Commands.all(services.models(), services.maxSteps()));
    } catch (InterruptedException | RuntimeException e) {
      shards.shutdownNow();
      scheduler.shutdownNow();
      throw e;
    }
    DiscordBot bot = new DiscordBot(shards, scheduler, registered);
    LOG.info("Discord bot ready: {}", bot.summary());
    return bot;
  }

  /**
   * Logs in; a refused token or an unreachable Discord is an IllegalStateException saying what to
   * do.
   */
  private static DiscordShards connect(String token, DiscordConfig config, Listener listener) {
    try {
      return DiscordShards.connect(token, config, listener);
    } catch (InvalidTokenException e) {
      throw new IllegalStateException(
          "Discord refused DISCORD_TOKEN: copy the bot token again from the Developer Portal (Bot > Reset Token)",
          e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot reach Discord at "
              + config.apiUrl()
              + " ("
              + rootCause(e)
              + "); check the network, or discord.apiUrl / IMAGINE_DISCORD_API_URL",
          e);
    }
  }

  /** The network error inside JDA's wrappers (its deepest cause is only a call-site marker). */
  private static String rootCause(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.io.IOException && cause.getMessage() != null) {
        return cause.getMessage();
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Registers the commands where this node should; returns where, for the log and serve. */
  private static String register(
      DiscordShards shards, String guildId, List<SlashCommandData> commands) {
    if (guildId == null) {
      // One global list per application: the node with shard 0 (which also gets the DMs) writes it.
      Optional<JDA> first = shards.shard(0);
      if (first.isEmpty()) {
        return "globally by the node running shard 0";
      }
      first.get().updateCommands().addCommands(commands).complete();
      return "globally";
    }
    int shard = shards.shardOf(guildId);
    Optional<JDA> holder = shards.shard(shard);
    if (holder.isEmpty()) {
      // That node is the only one that sees the guild, so only it can check the bot is in it.
      return "in guild " + guildId + " by the node running its shard " + shard;
    }
    // JDA always asks for the (unprivileged) GUILDS intent, so its guild cache lists every server
    // the bot is in (on a shard: every server of that shard).
    Guild guild = holder.get().getGuildById(guildId);
    if (guild == null) {
      throw new IllegalStateException(
          "the bot is not in the server DISCORD_GUILD_ID="
              + guildId
              + ": invite it to that server (see README, Discord), or unset DISCORD_GUILD_ID to register the commands globally");
    }
    guild.updateCommands().addCommands(commands).complete();
    return "in guild " + guildId;
  }

  /** The JDA of this node's lowest shard (the only one when unsharded). */
  public JDA jda() {
    return shards.first();
  }

  /** The JDA of each shard this node runs, by shard id, ascending. */
  public Map<Integer, JDA> shards() {
    return shards.all();
  }

  /**
   * {@code connected as imagine-bot[ on shards [0, 2] of 4], commands registered in guild 123} (or
   * globally, or by which other node), for the log and serve's start-up lines.
   */
  public String summary() {
    return "connected as "
        + shards.first().getSelfUser().getName()
        + (shards.total() == 1 ? "" : " on shards " + shards.ids() + " of " + shards.total())
        + ", commands registered "
        + commandsRegistered;
  }

  /** Closes every shard's JDA (queued replies may finish, 10 s at most), then the edit pacing. */
  @Override
  public void close() {
    shards.close();
    editScheduler.shutdownNow();
  }

  /** Routes JDA's events to the handlers; anything else is ignored. */
  private static final class Listener extends ListenerAdapter {

    private final ImagineHandler imagine;
    private final AdminHandler admin;
    private final PrefsHandler prefs;

    Listener(ImagineHandler imagine, AdminHandler admin, PrefsHandler prefs) {
      this.imagine = imagine;
      this.admin = admin;
      this.prefs = prefs;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
      guarded(
          event,
          () -> {
            if (event.getGuild() == null) {
              event.reply("Use this command in a server.").setEphemeral(true).queue();
            } else if (Commands.IMAGINE.equals(event.getName())) {
              imagine.onImagine(event);
            } else if (Commands.ADMIN.equals(event.getName())) {
              admin.onAdmin(event);
            } else if (Commands.INFO.equals(event.getName())) {
              imagine.onInfo(event);
            } else if (Commands.PREFS.equals(event.getName())) {
              prefs.onPrefs(event);
            }
          });
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
      if (event.getGuild() != null) {
        guarded(
            event,
            () ->
                ButtonIds.parse(event.getComponentId())
                    .ifPresent(id -> imagine.onButton(event, id)));
      }
    }

    @Override
    public void onModalInteraction(ModalInteractionEvent event) {
      if (event.getGuild() != null) {
        guarded(
            event,
            () -> ButtonIds.parse(event.getModalId()).ifPresent(id -> imagine.onModal(event, id)));
      }
    }

    /**
     * A failure on our side still answers the user (else Discord says "did not respond"), with an
     * incident id that the log holds next to the stack trace; never the exception's own text.
     */
    private static void guarded(IReplyCallback event, Runnable handler) {
      try {
        handler.run();
      } catch (RuntimeException e) {
        String message =
            Incident.report(LOG, "handling an interaction failed", e)
                .userMessage("handling your command");
        if (event.isAcknowledged()) {
          event.getHook().sendMessage(message).setEphemeral(true).queue();
        } else {
          event.reply(message).setEphemeral(true).queue();
        }
      }
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
      if (Commands.ADMIN.equals(event.getName())) {
        admin.onAutocomplete(event);
      }
    }
  }
}
