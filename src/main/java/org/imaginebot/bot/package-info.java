/**
 * What every chat adapter shares, handed to it as {@link org.imaginebot.bot.BotServices}: {@link
 * org.imaginebot.bot.ImagineService} (submit and cancel requests through rules, cache, coalescing,
 * rate limits and the fair queue; each user's own defaults, {@link org.imaginebot.bot.UserPrefs})
 * and {@link org.imaginebot.bot.ModerationService} (a guild's queue, pause, settings, audit).
 * {@link org.imaginebot.bot.Subscriptions} turns the worker's job events into each requester's
 * {@link org.imaginebot.bot.JobListener} calls.
 */
package org.imaginebot.bot;
