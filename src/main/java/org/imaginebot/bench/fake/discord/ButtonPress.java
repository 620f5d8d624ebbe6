package org.imaginebot.bench.fake.discord;

import java.time.Instant;
import java.util.Objects;

/**
 * A click on a button with {@code customId} on message {@code messageId}, which {@link FakeDiscord}
 * dispatches.
 *
 * <p>The message sent along is the one the fake knows under {@code messageId} (one the bot posted
 * or an interaction's original response); for an unknown id the fake makes up a bot message
 * carrying that button.
 */
public record ButtonPress(
    String guildId,
    String channelId,
    String userId,
    String userName,
    long permissions,
    String customId,
    String messageId,
    Instant createdAt) {
  public ButtonPress {
    Snowflakes.requireSnowflake("guildId", guildId);
    Snowflakes.requireSnowflake("channelId", channelId);
    Snowflakes.requireSnowflake("userId", userId);
    Objects.requireNonNull(userName, "userName");
    if (customId == null || customId.isEmpty() || customId.length() > 100) {
      throw new IllegalArgumentException("customId must have 1 to 100 characters, got " + customId);
    }
    Snowflakes.requireSnowflake("messageId", messageId);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * A press now in {@link FakeDiscord#GUILD_ID}/{@link FakeDiscord#CHANNEL_ID} by a member without
   * permissions.
   */
  public static ButtonPress of(String customId, String messageId) {
    return new ButtonPress(
        FakeDiscord.GUILD_ID,
        FakeDiscord.CHANNEL_ID,
        FakeDiscord.USER_ID,
        "tester",
        0L,
        customId,
        messageId,
        Instant.now());
  }

  public ButtonPress withPermissions(long newPermissions) {
    return new ButtonPress(
        guildId, channelId, userId, userName, newPermissions, customId, messageId, createdAt);
  }

  public ButtonPress withCreatedAt(Instant newCreatedAt) {
    return new ButtonPress(
        guildId, channelId, userId, userName, permissions, customId, messageId, newCreatedAt);
  }

  public ButtonPress withUser(String newUserId, String newUserName) {
    return new ButtonPress(
        guildId, channelId, newUserId, newUserName, permissions, customId, messageId, createdAt);
  }
}
