/**
 * A fake Slack for end-to-end tests and {@code bench load|faults}: {@link
 * org.imaginebot.bench.fake.slack.FakeSlack} serves the Web API methods the adapter calls (and a
 * file upload URL) on 127.0.0.1, records every call with its time, and posts signed slash commands
 * and button presses to the adapter as Slack does. Main code so that the benchmarks of the jar can
 * run against it; nothing but tests and {@code bench} uses it.
 */
package org.imaginebot.bench.fake.slack;
