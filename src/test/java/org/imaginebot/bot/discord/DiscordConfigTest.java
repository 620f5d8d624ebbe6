package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code discord} section's shard keys as {@code serve} loads them: defaults, environment, and
 * what a bad value says.
 */
final class DiscordConfigTest {

  private static final Path APPLICATION_YAML = Path.of("config/application.yaml");

  private static DiscordConfig load(Map<String, String> env, Map<String, String> overrides) {
    return ConfigLoader.load(APPLICATION_YAML, env, overrides).discord();
  }

  private static DiscordConfig shards(String total, String ids) {
    return load(Map.of(), Map.of("discord.shardTotal", total, "discord.shardIds", ids));
  }

  @Test
  void defaults_areOneUnshardedConnection() {
    DiscordConfig discord = load(Map.of(), Map.of());

    assertThat(discord.shardTotal()).isEqualTo(1);
    assertThat(discord.shardIds()).isEqualTo("all");
    assertThat(discord.shards()).containsExactly(0);
  }

  @Test
  void environment_setsTotalAndIds_allMeansEveryShard() {
    DiscordConfig some =
        load(
            Map.of("IMAGINE_DISCORD_SHARD_TOTAL", "4", "IMAGINE_DISCORD_SHARD_IDS", " 2, 0 "),
            Map.of());
    DiscordConfig all = shards("3", "ALL");

    assertThat(some.shardTotal()).isEqualTo(4);
    assertThat(some.shards()).as("ascending").containsExactly(0, 2);
    assertThat(all.shards()).isEqualTo(List.of(0, 1, 2));
  }

  @Test
  void yamlWithOneBareId_isThatShard(@TempDir Path dir) throws Exception {
    // YAML reads `shardIds: 1` as a number, not a string
    String yaml =
        Files.readString(APPLICATION_YAML)
            .replace("shardTotal: 1 ", "shardTotal: 2 ")
            .replace("shardIds: all ", "shardIds: 1 ");
    Path file = Files.writeString(dir.resolve("application.yaml"), yaml);

    DiscordConfig discord = ConfigLoader.load(file, Map.of(), Map.of()).discord();

    assertThat(discord.shardTotal()).isEqualTo(2);
    assertThat(discord.shards()).containsExactly(1);
  }

  @Test
  void badShardIds_nameTheKeyTheValueAndTheRange() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> shards("2", "0;1"))
        .withMessage(
            "discord.shardIds must be 'all' or comma-separated shard ids from 0 to 1"
                + " (discord.shardTotal is 2) such as 0,2, got '0;1' (from --set discord.shardIds)");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> shards("2", "-1"))
        .withMessageStartingWith(
            "discord.shardIds must be 'all' or comma-separated shard ids from 0 to 1");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> shards("4", "1,3,1"))
        .withMessage(
            "discord.shardIds must name each shard once, got '1,3,1': 1 is repeated"
                + " (from --set discord.shardIds)");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> shards("2", "0,2"))
        .withMessage(
            "discord.shardIds must be shard ids from 0 to 1 (discord.shardTotal is 2),"
                + " got '0,2': 2 is out of range (from --set discord.shardIds)");
  }

  @Test
  void badShardTotal_saysTheAllowedRange() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> shards("0", "all"))
        .withMessage(
            "discord.shardTotal must be from 1 to 1000 (1 = one connection runs every server),"
                + " got 0 (from --set discord.shardTotal)");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> shards("1001", "all"))
        .withMessageStartingWith("discord.shardTotal must be from 1 to 1000");
  }

  @Test
  void shardOfAGuild_isDiscordsRule() {
    // (id >> 22) % total; the largest snowflake does not overflow.
    assertThat(ShardIds.of("1300000000000000100", 2)).isZero();
    assertThat(ShardIds.of(Long.toString(1300000000000000100L + (1L << 22)), 2)).isEqualTo(1);
    assertThat(ShardIds.of("18446744073709551615", 1000))
        .isEqualTo((int) ((0xFFFF_FFFF_FFFF_FFFFL >>> 22) % 1000));
  }
}
