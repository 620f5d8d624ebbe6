package org.imaginebot.bench.fake.discord;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A slash command use (or, with a focused option, an autocomplete request) that {@link FakeDiscord}
 * dispatches.
 *
 * <p>{@code permissions} is the member's permission bitset in the channel (Manage Server is {@code
 * 1L << 5}); {@code createdAt} becomes the timestamp of the interaction's snowflake id, which is
 * what JDA's {@code InteractionHook.isExpired()} reads.
 */
public record SlashCommand(
    String guildId,
    String channelId,
    String userId,
    String userName,
    long permissions,
    String name,
    List<CommandOption> options,
    Instant createdAt) {
  public SlashCommand {
    Snowflakes.requireSnowflake("guildId", guildId);
    Snowflakes.requireSnowflake("channelId", channelId);
    Snowflakes.requireSnowflake("userId", userId);
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(name, "name");
    options = options == null ? List.of() : List.copyOf(options);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * /{@code name} used now in {@link FakeDiscord#GUILD_ID}/{@link FakeDiscord#CHANNEL_ID} by a
   * member without permissions.
   */
  public static SlashCommand of(String name, CommandOption... options) {
    return new SlashCommand(
        FakeDiscord.GUILD_ID,
        FakeDiscord.CHANNEL_ID,
        FakeDiscord.USER_ID,
        "tester",
        0L,
        name,
        List.of(options),
        Instant.now());
  }

  public SlashCommand withPermissions(long newPermissions) {
    return new SlashCommand(
        guildId, channelId, userId, userName, newPermissions, name, options, createdAt);
  }

  public SlashCommand withCreatedAt(Instant newCreatedAt) {
    return new SlashCommand(
        guildId, channelId, userId, userName, permissions, name, options, newCreatedAt);
  }

  public SlashCommand withUser(String newUserId, String newUserName) {
    return new SlashCommand(
        guildId, channelId, newUserId, newUserName, permissions, name, options, createdAt);
  }

  public SlashCommand inGuild(String newGuildId, String newChannelId) {
    return new SlashCommand(
        newGuildId, newChannelId, userId, userName, permissions, name, options, createdAt);
  }
}
