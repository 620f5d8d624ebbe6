/**
 * The Discord adapter (JDA): {@link org.imaginebot.bot.discord.DiscordBot#start} logs in, registers
 * {@code /imagine}, {@code /imagine-admin}, {@code /imagine-info} and {@code /imagine-prefs} and
 * routes interactions to the core's {@link org.imaginebot.bot.BotServices}; {@link
 * org.imaginebot.bot.discord.DiscordReply} turns a job's events into paced edits of one reply,
 * {@link org.imaginebot.bot.discord.ResumedReply} delivers jobs resumed after a restart. It knows
 * the core services only, never the wiring in {@code app} nor the engine's DJL side.
 */
package org.imaginebot.bot.discord;
