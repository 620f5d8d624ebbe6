/**
 * What every chat adapter shares, handed to it as {@link org.imaginebot.bot.BotServices}: {@link
 * org.imaginebot.bot.ImagineService} (submit and cancel requests through rules, cache, coalescing,
 * rate limits and the fair queue; decide who may delete a reply, a {@link
 * org.imaginebot.bot.Deletion}; each user's own defaults, {@link org.imaginebot.bot.UserPrefs}) and
 * {@link org.imaginebot.bot.ModerationService} (a guild's queue, pause, settings, audit, purging a
 * reply's image from the cache). {@link org.imaginebot.bot.Subscriptions} turns the worker's job
 * events into each requester's {@link org.imaginebot.bot.JobListener} calls.
 */
package org.imaginebot.bot;
