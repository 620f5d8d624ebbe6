/**
 * What every chat adapter shares: {@link org.imaginebot.bot.ImagineService} (submit and cancel
 * requests through rules, cache, coalescing, rate limits and the fair queue) and
 * {@link org.imaginebot.bot.ModerationService} (a guild's queue, pause, settings, audit).
 */
package org.imaginebot.bot;
