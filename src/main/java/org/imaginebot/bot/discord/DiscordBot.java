package org.imaginebot.bot.discord;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import net.dv8tion.jda.api.utils.messages.MessageRequest;
import org.imaginebot.bot.BotServices;
import org.imaginebot.bot.JobTimes;
import org.imaginebot.incident.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord adapter: a JDA client (no privileged intents, no member or message caches) that
 * registers /imagine and /imagine-admin and routes their interactions to the core.
 *
 * <p>Where it connects comes from {@link DiscordConfig}, so the whole bot can run against a local
 * fake Discord. No message the bot sends can ping: allowed mentions are empty for every message.
 */
public final class DiscordBot implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscordBot.class);

  private final JDA jda;
  private final ScheduledExecutorService editScheduler;

  private DiscordBot(JDA jda, ScheduledExecutorService editScheduler) {
    this.jda = jda;
    this.editScheduler = editScheduler;
  }

  /**
   * Connects, waits for READY and registers the commands: in the login's guild at once when given,
   * else globally (Discord may take a while to show global changes). Call it before the workers
   * start, so jobs resumed from the last run are delivered to their channels.
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
            services.actionRefs(),
            scheduler,
            config.minEditInterval(),
            new JobTimes(Duration.ofSeconds(30), services.gpuConcurrency()),
            clock);
    AdminHandler admin = new AdminHandler(services.moderation());
    JDA jda;
    try {
      jda = connect(login.token(), config, new Listener(imagine, admin));
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
      throw e;
    }
    try {
      jda.awaitReady();
      services
          .imagine()
          .onResumed(
              ImagineHandler.SOURCE,
              (requester, request) ->
                  new ResumedReply(jda, requester, request, imagine.remember(request)));
      register(jda, guildId, Commands.all(services.models(), services.maxSteps()));
    } catch (InterruptedException | RuntimeException e) {
      jda.shutdownNow();
      scheduler.shutdownNow();
      throw e;
    }
    LOG.info(
        "Discord bot {} is ready; commands registered {}",
        jda.getSelfUser().getName(),
        guildId == null ? "globally" : "in guild " + guildId);
    return new DiscordBot(jda, scheduler);
  }

  /**
   * Logs in; a refused token or an unreachable Discord is an IllegalStateException saying what to
   * do.
   */
  private static JDA connect(String token, DiscordConfig config, Listener listener) {
    try {
      return JDABuilder.createLight(token, EnumSet.noneOf(GatewayIntent.class))
          .setRestConfig(new RestConfig().setBaseUrl(config.apiUrl()))
          .setSessionController(
              new ConcurrentSessionController() {
                @Override
                public String getGateway() {
                  return config.gatewayUrl();
                }
              })
          .setCompression(Compression.NONE)
          .addEventListeners(listener)
          .build();
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

  private static void register(JDA jda, String guildId, List<SlashCommandData> commands) {
    if (guildId == null) {
      jda.updateCommands().addCommands(commands).complete();
      return;
    }
    // JDA always asks for the (unprivileged) GUILDS intent, so its guild cache lists every server
    // the bot is in.
    Guild guild = jda.getGuildById(guildId);
    if (guild == null) {
      throw new IllegalStateException(
          "the bot is not in the server DISCORD_GUILD_ID="
              + guildId
              + ": invite it to that server (see README, Discord), or unset DISCORD_GUILD_ID to register the commands globally");
    }
    guild.updateCommands().addCommands(commands).complete();
  }

  public JDA jda() {
    return jda;
  }

  @Override
  public void close() {
    jda.shutdown();
    try {
      if (!jda.awaitShutdown(10, TimeUnit.SECONDS)) {
        jda.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      jda.shutdownNow();
    }
    editScheduler.shutdownNow();
  }

  /** Routes JDA's events to the handlers; anything else is ignored. */
  private static final class Listener extends ListenerAdapter {

    private final ImagineHandler imagine;
    private final AdminHandler admin;

    Listener(ImagineHandler imagine, AdminHandler admin) {
      this.imagine = imagine;
      this.admin = admin;
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
