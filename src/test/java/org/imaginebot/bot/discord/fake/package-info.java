/**
 * A fake Discord for end-to-end tests with the real JDA client: {@link
 * org.imaginebot.bot.discord.fake.FakeDiscord} serves REST and the gateway on 127.0.0.1, dispatches
 * interactions and records every REST call.
 */
package org.imaginebot.bot.discord.fake;
