/**
 * The Slack adapter (Bolt for Java, HTTP mode or Socket Mode): {@link
 * org.imaginebot.bot.slack.SlackBot#start} checks the bot token, listens on {@code /slack/events}
 * or connects over Socket Mode when there is an app token, and routes {@code /imagine} and its
 * buttons, {@code /imagine-admin}, {@code /imagine-info} and {@code /imagine-prefs} to the core's
 * {@link org.imaginebot.bot.BotServices}; {@link org.imaginebot.bot.slack.SlackReply} keeps one
 * channel message per job up to date through the shared {@link org.imaginebot.bot.EditPacer}. A
 * workspace ({@code team_id}) is a scope, as a Discord server is. It knows the core services only,
 * never the wiring in {@code app}, the engine's DJL side, nor the Discord adapter.
 */
package org.imaginebot.bot.slack;
