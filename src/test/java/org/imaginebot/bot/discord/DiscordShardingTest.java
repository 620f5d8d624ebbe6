package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Guild;
import org.imaginebot.app.BotApplication;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.GatewaySession;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharding end to end: real JDA clients on one fake Discord that routes each guild to the shard
 * {@code (guild_id >> 22) % shardTotal}, as Discord does. Each node uses its own token so the
 * fake's records (IDENTIFY, Authorization of every REST call) say which node did what; on real
 * Discord all nodes share one token.
 */
final class DiscordShardingTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Shard 0 of 2. */
  private static final String GUILD_A = FakeDiscord.GUILD_ID;

  private static final String CHANNEL_A = FakeDiscord.CHANNEL_ID;

  /** GUILD_A plus one in the bits above the low 22: shard 1 of 2. */
  private static final String GUILD_B = Long.toString(Long.parseLong(GUILD_A) + (1L << 22));

  private static final String CHANNEL_B = "1300000000000000201";
  private static final String TOKEN_0 = "fake-node-0";
  private static final String TOKEN_1 = "fake-node-1";

  @TempDir Path dir;

  private static FakeDiscord fakeWithTwoGuilds() {
    assertThat(GatewaySession.shardOf(GUILD_A, 2)).isZero();
    assertThat(GatewaySession.shardOf(GUILD_B, 2)).isEqualTo(1);
    FakeDiscord fake = FakeDiscord.start();
    fake.addGuild(GUILD_A, CHANNEL_A);
    fake.addGuild(GUILD_B, CHANNEL_B);
    return fake;
  }

  private BotApplication node(FakeDiscord fake, String token, String shardIds, String guildId)
      throws InterruptedException {
    return DiscordHarness.serve(
        fake,
        dir.resolve(token),
        new DiscordLogin(token, guildId),
        Map.of("discord.shardTotal", "2", "discord.shardIds", shardIds),
        Clock.systemUTC(),
        null);
  }

  /** A quick request: 3 search steps, a fixed seed per guild. */
  private static SlashCommand imagineIn(String guildId, String channelId, long seed) {
    return SlashCommand.of(
            "imagine",
            CommandOption.string("prompt", "a lighthouse"),
            CommandOption.string("strategy", "search"),
            CommandOption.integer("steps", 3),
            CommandOption.integer("seed", seed))
        .inGuild(guildId, channelId);
  }

  /** The reply with the final image: the first reply (cache hit) or the edit of a deferred one. */
  private static RestCall awaitImage(FakeDiscord fake, Interaction i) {
    return await("the image for " + i)
        .atMost(WAIT)
        .until(
            () ->
                java.util.stream.Stream.concat(
                        fake.calls("POST", i.callbackPath()).stream(),
                        fake.calls("PATCH", i.originalPath()).stream())
                    .filter(
                        c -> c.status() < 300 && c.json().toString().contains("imagine:reroll:"))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Every REST call that used {@code i}'s token: its callback, edits and follow-ups. */
  private static List<RestCall> callsFor(FakeDiscord fake, Interaction i) {
    return fake.calls().stream().filter(c -> c.path().contains(i.token())).toList();
  }

  @Test
  void twoNodes_eachIdentifiesItsShard_andOnlyTheNodeHoldingAGuildAnswersIt() throws Exception {
    try (FakeDiscord fake = fakeWithTwoGuilds();
        // DISCORD_GUILD_ID is guild B on both nodes, as they share one environment
        BotApplication node0 = node(fake, TOKEN_0, "0", GUILD_B);
        BotApplication node1 = node(fake, TOKEN_1, "1", GUILD_B)) {
      assertThat(fake.gatewaySessions())
          .extracting(GatewaySession::token, GatewaySession::shardId, GatewaySession::shardTotal)
          .containsExactlyInAnyOrder(tuple(TOKEN_0, 0, 2), tuple(TOKEN_1, 1, 2));
      JDA jda0 = node0.discord().orElseThrow().jda();
      JDA jda1 = node1.discord().orElseThrow().jda();
      assertThat(jda0.getShardInfo().getShardString()).isEqualTo("[0 / 2]");
      assertThat(jda1.getShardInfo().getShardString()).isEqualTo("[1 / 2]");
      assertThat(jda0.getGuilds()).extracting(Guild::getId).containsExactly(GUILD_A);
      assertThat(jda1.getGuilds()).extracting(Guild::getId).containsExactly(GUILD_B);
      assertThat(fake.calls("PUT", "applications/\\d+/guilds/\\d+/commands"))
          .as("guild B's commands come from the node holding its shard, once")
          .extracting(RestCall::path, RestCall::authorization)
          .containsExactly(
              tuple(
                  "applications/" + FakeDiscord.APPLICATION_ID + "/guilds/" + GUILD_B + "/commands",
                  "Bot " + TOKEN_1));
      assertThat(node0.discord().orElseThrow().summary())
          .isEqualTo(
              "connected as imagine-bot on shards [0] of 2, commands registered in guild "
                  + GUILD_B
                  + " by the node running its shard 1");

      Interaction inA = fake.slashCommand(imagineIn(GUILD_A, CHANNEL_A, 1));
      Interaction inB = fake.slashCommand(imagineIn(GUILD_B, CHANNEL_B, 2));

      assertThat(inA.session().token()).isEqualTo(TOKEN_0);
      assertThat(inB.session().token()).isEqualTo(TOKEN_1);
      assertThat(awaitImage(fake, inA).authorization()).isEqualTo("Bot " + TOKEN_0);
      assertThat(awaitImage(fake, inB).authorization()).isEqualTo("Bot " + TOKEN_1);
      assertThat(callsFor(fake, inA))
          .isNotEmpty()
          .allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bot " + TOKEN_0));
      assertThat(callsFor(fake, inB))
          .as("node 0 (shardIds 0) never answers guild B")
          .isNotEmpty()
          .allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bot " + TOKEN_1));
      assertThat(fake.unknownRoutes()).isEmpty();
    }
  }

  @Test
  void oneNodeWithAllShards_runsAJdaPerShard_registersGloballyOnce_andClosesEveryShard()
      throws Exception {
    try (FakeDiscord fake = fakeWithTwoGuilds()) {
      DiscordBot bot;
      try (BotApplication node = node(fake, TOKEN_0, "all", null)) {
        bot = node.discord().orElseThrow();
        assertThat(bot.shards()).containsOnlyKeys(0, 1);
        assertThat(fake.gatewaySessions())
            .extracting(GatewaySession::shardId, GatewaySession::shardTotal)
            .containsExactlyInAnyOrder(tuple(0, 2), tuple(1, 2));
        assertThat(fake.calls("PUT", "applications/\\d+/commands"))
            .as("one global list, from shard 0")
            .hasSize(1);
        assertThat(fake.calls("PUT", "applications/\\d+/guilds/\\d+/commands")).isEmpty();

        Interaction inA = fake.slashCommand(imagineIn(GUILD_A, CHANNEL_A, 3));
        Interaction inB = fake.slashCommand(imagineIn(GUILD_B, CHANNEL_B, 4));

        assertThat(inA.session().shardId()).isZero();
        assertThat(inB.session().shardId()).isEqualTo(1);
        awaitImage(fake, inA);
        awaitImage(fake, inB);
      }
      assertThat(bot.shards().values())
          .extracting(JDA::getStatus)
          .containsOnly(JDA.Status.SHUTDOWN);
    }
  }
}
