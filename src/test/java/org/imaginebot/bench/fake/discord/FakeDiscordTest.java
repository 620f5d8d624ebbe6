package org.imaginebot.bench.fake.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.exceptions.DetachedEntityException;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.utils.FileUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class FakeDiscordTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String ORIGINAL =
      "webhooks/" + FakeDiscord.APPLICATION_ID + "/[^/]+/messages/@original";
  private static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 1, 2, 3
  };

  private final Listener listener = new Listener();
  private FakeDiscord fake;
  private JDA jda;

  @BeforeEach
  void startFake() {
    fake = FakeDiscord.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (jda != null) {
      jda.shutdown(); // lets queued requests finish: shutdownNow would log interrupted ones
      if (!jda.awaitShutdown(Duration.ofSeconds(3))) {
        jda.shutdownNow();
      }
    }
    fake.close();
  }

  private JDA connect() throws InterruptedException {
    jda =
        FakeDiscord.configure(
                JDABuilder.createLight(FakeDiscord.BOT_TOKEN, EnumSet.noneOf(GatewayIntent.class)),
                fake)
            .addEventListeners(listener)
            .build();
    fake.awaitReady(WAIT);
    return jda.awaitReady();
  }

  @Test
  void connect_validToken_identifiesAndGetsSelfWithBotToken() throws InterruptedException {
    connect();

    assertThat(jda.getStatus()).isEqualTo(JDA.Status.CONNECTED);
    assertThat(fake.identify().path("token").asText()).isEqualTo(FakeDiscord.BOT_TOKEN);
    // JDA always sends the GUILDS intent (1), even for EnumSet.noneOf(GatewayIntent.class)
    assertThat(fake.identify().path("intents").asInt()).isEqualTo(1);
    RestCall self = fake.awaitCall("GET", "users/@me", WAIT);
    assertThat(self.authorization()).isEqualTo("Bot " + FakeDiscord.BOT_TOKEN);
    assertThat(self.status()).isEqualTo(200);
    assertThat(jda.getSelfUser().getId()).isEqualTo(FakeDiscord.BOT_USER_ID);
    assertThat(jda.getSelfUser().getApplicationId()).isEqualTo(FakeDiscord.APPLICATION_ID);
  }

  @Test
  void connect_wrongToken_invalidTokenAnd401() {
    fake.expectToken("fake-the-other-token");

    assertThatThrownBy(this::connect).isInstanceOf(InvalidTokenException.class);
    assertThat(fake.calls("GET", "users/@me")).extracting(RestCall::status).containsExactly(401);
  }

  @Test
  void updateCommands_global_putWithOptionsAndIdsEchoed() throws InterruptedException {
    connect();

    List<Command> registered =
        jda.updateCommands()
            .addCommands(
                Commands.slash("imagine", "Make an image")
                    .addOption(OptionType.STRING, "prompt", "What to draw", true)
                    .addOption(OptionType.INTEGER, "steps", "Optimisation steps", false))
            .complete();

    JsonNode body =
        fake.awaitCall("PUT", "applications/" + FakeDiscord.APPLICATION_ID + "/commands", WAIT)
            .json();
    assertThat(body.get(0).path("name").asText()).isEqualTo("imagine");
    assertThat(body.get(0).path("options").get(0).path("type").asInt()).isEqualTo(3);
    assertThat(body.get(0).path("options").get(1).path("type").asInt()).isEqualTo(4);
    assertThat(registered)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getName()).isEqualTo("imagine");
              assertThat(c.getId()).isEqualTo(fake.globalCommands().get(0).path("id").asText());
            });
  }

  @Test
  void updateCommands_cachedGuild_putToGuildRoute() throws InterruptedException {
    String guildId = "1300000000000000555";
    fake.addGuild(guildId, "1300000000000000556");
    connect();

    jda.getGuildById(guildId)
        .updateCommands()
        .addCommands(
            Commands.slash("imagine", "Make an image")
                .addOption(OptionType.STRING, "prompt", "What to draw", true))
        .complete();

    RestCall put =
        fake.awaitCall(
            "PUT",
            "applications/" + FakeDiscord.APPLICATION_ID + "/guilds/" + guildId + "/commands",
            WAIT);
    assertThat(put.json().get(0).path("name").asText()).isEqualTo("imagine");
    assertThat(fake.guildCommands(guildId)).hasSize(1);
  }

  @Test
  void slashCommand_deferEditAttach_recordsCallbackEditAndFileBytes() throws Exception {
    CompletableFuture<String> prompt = new CompletableFuture<>();
    listener.onSlash =
        event -> {
          prompt.complete(
              event.getOption("prompt").getAsString() + "/" + event.getOption("steps").getAsLong());
          event.deferReply().queue();
          event.getHook().editOriginal("working").queue();
          event.getHook().editOriginalAttachments(FileUpload.fromData(PNG, "image.png")).queue();
        };
    connect();

    Interaction interaction =
        fake.slashCommand(
            SlashCommand.of(
                "imagine",
                CommandOption.string("prompt", "a red fox"),
                CommandOption.integer("steps", 40)));

    assertThat(prompt.get(5, TimeUnit.SECONDS)).isEqualTo("a red fox/40");
    RestCall callback = fake.awaitCall("POST", interaction.callbackPath(), WAIT);
    assertThat(callback.json().path("type").asInt()).isEqualTo(5);
    List<RestCall> edits = fake.awaitCalls("PATCH", interaction.originalPath(), 2, WAIT);
    assertThat(edits.get(0).json().path("content").asText()).isEqualTo("working");
    assertThat(edits.get(1).isMultipart()).isTrue();
    assertThat(edits.get(1).files()).containsOnlyKeys("image.png");
    assertThat(edits.get(1).files().get("image.png")).isEqualTo(PNG);
    JsonNode original = fake.originalMessage(interaction);
    assertThat(original.path("content").asText()).isEqualTo("working");
    assertThat(original.path("attachments").get(0).path("size").asInt()).isEqualTo(PNG.length);
  }

  @Test
  void button_onReplyMessage_reachesListenerAndEditMessageRecorded() throws Exception {
    listener.onSlash =
        event ->
            event
                .reply("done")
                .setComponents(ActionRow.of(Button.primary("regen:42", "Again")))
                .queue();
    CompletableFuture<ButtonInteractionEvent> pressed = new CompletableFuture<>();
    listener.onButton =
        event -> {
          pressed.complete(event);
          event.editMessage("regenerating").setComponents().queue();
        };
    connect();
    Interaction command =
        fake.slashCommand(SlashCommand.of("imagine", CommandOption.string("prompt", "fox")));
    assertThat(fake.awaitCall("POST", command.callbackPath(), WAIT).json().path("type").asInt())
        .isEqualTo(4);
    String messageId = fake.originalMessage(command).path("id").asText();

    Interaction press =
        fake.button(
            ButtonPress.of("regen:42", messageId).withPermissions(FakeDiscord.MANAGE_SERVER));

    ButtonInteractionEvent event = pressed.get(5, TimeUnit.SECONDS);
    assertThat(event.getComponentId()).isEqualTo("regen:42");
    assertThat(event.getButton().getLabel()).isEqualTo("Again");
    assertThat(event.getMessage().getContentRaw()).isEqualTo("done");
    assertThat(event.getMember().hasPermission(event.getGuildChannel(), Permission.MANAGE_SERVER))
        .isTrue();
    JsonNode update = fake.awaitCall("POST", press.callbackPath(), WAIT).json();
    assertThat(update.path("type").asInt()).isEqualTo(7);
    assertThat(update.path("data").path("content").asText()).isEqualTo("regenerating");
    assertThat(fake.message(messageId).path("content").asText()).isEqualTo("regenerating");
  }

  @Test
  void button_deferEdit_callbackType6() throws Exception {
    listener.onButton = event -> event.deferEdit().queue();
    connect();

    Interaction press = fake.button(ButtonPress.of("upscale:7", "1300000000000000777"));

    assertThat(fake.awaitCall("POST", press.callbackPath(), WAIT).json().path("type").asInt())
        .isEqualTo(6);
  }

  @Test
  void rateLimitNext_editOriginal_retriedAfterRetryAfter() throws Exception {
    fake.rateLimitNext("PATCH", ORIGINAL, 1.5);
    CompletableFuture<Message> edited = new CompletableFuture<>();
    listener.onSlash =
        event -> {
          event.deferReply().queue();
          event
              .getHook()
              .editOriginal("preview")
              .queue(edited::complete, edited::completeExceptionally);
        };
    connect();

    Interaction interaction = fake.slashCommand(SlashCommand.of("imagine"));

    List<RestCall> patches = fake.awaitCalls("PATCH", interaction.originalPath(), 2, WAIT);
    assertThat(patches).extracting(RestCall::status).containsExactly(429, 200);
    assertThat(patches.get(1).atNanos() - patches.get(0).atNanos())
        .isGreaterThanOrEqualTo(1_500_000_000L);
    assertThat(edited.get(5, TimeUnit.SECONDS).getContentRaw()).isEqualTo("preview");
  }

  @Test
  void enforceRouteLimit_editsPastTheLimit_answer429_andJdaWaitsThemOut() throws Exception {
    fake.enforceRouteLimit(2, Duration.ofSeconds(1));
    CompletableFuture<Message> third = new CompletableFuture<>();
    listener.onSlash =
        event -> {
          event.deferReply().queue();
          event.getHook().editOriginal("1").queue();
          event.getHook().editOriginal("2").queue();
          event.getHook().editOriginal("3").queue(third::complete, third::completeExceptionally);
        };
    connect();

    Interaction interaction = fake.slashCommand(SlashCommand.of("imagine"));

    assertThat(third.get(10, TimeUnit.SECONDS).getContentRaw()).isEqualTo("3");
    List<RestCall> patches = fake.calls("PATCH", interaction.originalPath());
    assertThat(patches).extracting(RestCall::status).containsSubsequence(200, 200, 429, 200);
    assertThat(fake.rateLimited()).isNotEmpty().allMatch(c -> c.path().endsWith("@original"));
  }

  @Test
  void failNext_answersTheStatusThatManyTimes_thenServesAgain() throws Exception {
    fake.failNext("PATCH", ORIGINAL, 500, 1);
    CompletableFuture<Throwable> first = new CompletableFuture<>();
    CompletableFuture<Message> second = new CompletableFuture<>();
    listener.onSlash =
        event -> {
          event.deferReply().queue();
          event
              .getHook()
              .editOriginal("first")
              .queue(
                  ok -> first.complete(new AssertionError("the edit went through")),
                  error -> {
                    first.complete(error);
                    event.getHook().editOriginal("second").queue(second::complete);
                  });
        };
    connect();

    Interaction interaction = fake.slashCommand(SlashCommand.of("imagine"));

    assertThat(first.get(10, TimeUnit.SECONDS))
        .isInstanceOf(net.dv8tion.jda.api.exceptions.ErrorResponseException.class);
    assertThat(second.get(10, TimeUnit.SECONDS).getContentRaw()).isEqualTo("second");
    assertThat(fake.calls("PATCH", interaction.originalPath()))
        .extracting(RestCall::status)
        .containsExactly(500, 200);
  }

  @Test
  void expireToken_editOriginal_failsWithInvalidWebhookToken() throws Exception {
    CompletableFuture<InteractionHook> hook = new CompletableFuture<>();
    listener.onSlash = event -> event.deferReply().queue(hook::complete);
    connect();
    Interaction interaction = fake.slashCommand(SlashCommand.of("imagine"));
    InteractionHook deferred = hook.get(5, TimeUnit.SECONDS);

    fake.expireToken(interaction.token());

    assertThatThrownBy(() -> deferred.editOriginal("late").submit().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getErrorResponse()).isEqualTo(ErrorResponse.INVALID_WEBHOOK_TOKEN));
    assertThat(fake.calls("PATCH", interaction.originalPath()))
        .extracting(RestCall::status)
        .containsExactly(401);
  }

  @Test
  void hook_interactionOlderThan15Minutes_isExpired() throws Exception {
    CompletableFuture<Boolean> old = new CompletableFuture<>();
    CompletableFuture<Boolean> fresh = new CompletableFuture<>();
    listener.onSlash =
        event -> {
          boolean expired = event.getHook().isExpired();
          (event.getOption("age").getAsString().equals("old") ? old : fresh).complete(expired);
        };
    connect();

    Instant now = Instant.now();
    fake.slashCommand(
        SlashCommand.of("imagine", CommandOption.string("age", "old"))
            .withCreatedAt(now.minus(Duration.ofMinutes(15)).minusSeconds(1)));
    // 30 s short of expiry, so a slow machine cannot age it past 15 minutes before JDA asks.
    fake.slashCommand(
        SlashCommand.of("imagine", CommandOption.string("age", "fresh"))
            .withCreatedAt(now.minus(Duration.ofMinutes(14)).minusSeconds(30)));

    assertThat(old.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(fresh.get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void slashCommand_permissionBits_reportedInInteractionChannel() throws Exception {
    CompletableFuture<Boolean> member = new CompletableFuture<>();
    CompletableFuture<Boolean> moderator = new CompletableFuture<>();
    CompletableFuture<Throwable> withoutChannel = new CompletableFuture<>();
    listener.onSlash =
        event -> {
          boolean manage =
              event.getMember().hasPermission(event.getGuildChannel(), Permission.MANAGE_SERVER);
          (event.getUser().getName().equals("mod") ? moderator : member).complete(manage);
          try {
            event.getMember().hasPermission(Permission.MANAGE_SERVER);
            withoutChannel.complete(null);
          } catch (RuntimeException e) {
            withoutChannel.complete(e);
          }
        };
    connect();

    fake.slashCommand(SlashCommand.of("settings"));
    fake.slashCommand(
        SlashCommand.of("settings")
            .withUser("1300000000000000301", "mod")
            .withPermissions(FakeDiscord.MANAGE_SERVER));

    assertThat(member.get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(moderator.get(5, TimeUnit.SECONDS)).isTrue();
    // JDA quirk: a member of an uncached (detached) guild only knows its permissions in the
    // interaction channel
    assertThat(withoutChannel.get(5, TimeUnit.SECONDS)).isInstanceOf(DetachedEntityException.class);
  }

  @Test
  void slashCommand_cachedGuild_permissionsFromRole() throws Exception {
    CompletableFuture<Boolean> member = new CompletableFuture<>();
    CompletableFuture<Boolean> moderator = new CompletableFuture<>();
    listener.onSlash =
        event ->
            (event.getUser().getName().equals("mod") ? moderator : member)
                .complete(event.getMember().hasPermission(Permission.MANAGE_SERVER));
    fake.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
    connect();

    fake.slashCommand(SlashCommand.of("settings"));
    fake.slashCommand(
        SlashCommand.of("settings")
            .withUser("1300000000000000301", "mod")
            .withPermissions(FakeDiscord.MANAGE_SERVER));

    assertThat(member.get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(moderator.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(
            jda.getGuildById(FakeDiscord.GUILD_ID)
                .getSelfMember()
                .hasPermission(Permission.MESSAGE_SEND))
        .isTrue();
  }

  @Test
  void autocomplete_focusedOption_choicesRecorded() throws Exception {
    CompletableFuture<String> focused = new CompletableFuture<>();
    listener.onAutocomplete =
        event -> {
          focused.complete(
              event.getFocusedOption().getName() + "=" + event.getFocusedOption().getValue());
          event.replyChoiceStrings("biggan-256", "biggan-512").queue();
        };
    connect();

    Interaction interaction =
        fake.autocomplete(
            SlashCommand.of("imagine", CommandOption.string("model", "big").asFocused()));

    assertThat(focused.get(5, TimeUnit.SECONDS)).isEqualTo("model=big");
    JsonNode callback = fake.awaitCall("POST", interaction.callbackPath(), WAIT).json();
    assertThat(callback.path("type").asInt()).isEqualTo(8);
    assertThat(callback.path("data").path("choices")).hasSize(2);
  }

  @Test
  void channelMessages_postEditAndFailure() throws Exception {
    CompletableFuture<GuildMessageChannel> channel = new CompletableFuture<>();
    listener.onSlash = event -> channel.complete(event.getGuildChannel());
    fake.addGuild(
        FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID); // detached channels refuse sendMessage
    connect();
    fake.slashCommand(SlashCommand.of("imagine"));
    GuildMessageChannel target = channel.get(5, TimeUnit.SECONDS);

    Message posted =
        target.sendMessage("fallback").addFiles(FileUpload.fromData(PNG, "image.png")).complete();
    target.editMessageById(posted.getId(), "fallback, edited").complete();
    fake.failChannelMessages(FakeDiscord.CHANNEL_ID, 403, 50013, "Missing Permissions");

    assertThat(posted.getAttachments())
        .singleElement()
        .satisfies(a -> assertThat(a.getFileName()).isEqualTo("image.png"));
    assertThat(
            fake.calls("POST", "channels/" + FakeDiscord.CHANNEL_ID + "/messages").get(0).files())
        .containsOnlyKeys("image.png");
    assertThat(fake.message(posted.getId()).path("content").asText()).isEqualTo("fallback, edited");
    assertThatThrownBy(() -> target.sendMessage("again").complete())
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getErrorResponse()).isEqualTo(ErrorResponse.MISSING_PERMISSIONS));
  }

  @Test
  void unknownRoute_answered404AndRecorded() throws InterruptedException {
    connect();

    assertThatThrownBy(() -> jda.retrieveUserById("1300000000000000888").complete())
        .isInstanceOf(ErrorResponseException.class);
    assertThat(fake.unknownRoutes())
        .extracting(RestCall::path)
        .containsExactly("users/1300000000000000888");
  }

  @Test
  void dropGateway_resumable_jdaResumesAndReceivesInteractions() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    listener.onSlash = event -> received.complete(event.getName());
    connect();

    fake.dropGateway(4000);
    fake.awaitReady(Duration.ofSeconds(10));
    jda.awaitStatus(JDA.Status.CONNECTED);
    fake.slashCommand(SlashCommand.of("imagine"));

    assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("imagine");
    assertThat(fake.gatewayFrames()).anySatisfy(f -> assertThat(f.path("op").asInt()).isEqualTo(6));
  }

  /** Routes JDA events to whatever handler the test set. */
  private static final class Listener extends ListenerAdapter {
    volatile Consumer<SlashCommandInteractionEvent> onSlash = event -> {};
    volatile Consumer<ButtonInteractionEvent> onButton = event -> {};
    volatile Consumer<CommandAutoCompleteInteractionEvent> onAutocomplete = event -> {};

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
      onSlash.accept(event);
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
      onButton.accept(event);
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
      onAutocomplete.accept(event);
    }
  }
}
