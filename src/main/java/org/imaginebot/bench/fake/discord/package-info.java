/**
 * A fake Discord the real JDA client talks to, for end-to-end tests and {@code bench load|faults}:
 * {@link org.imaginebot.bench.fake.discord.FakeDiscord} serves REST and the gateway on 127.0.0.1,
 * dispatches interactions and records every REST call with its time. Main code so that the
 * benchmarks of the jar can run against it; nothing but tests and {@code bench} uses it.
 */
package org.imaginebot.bench.fake.discord;
