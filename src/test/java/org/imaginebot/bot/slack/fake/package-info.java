/**
 * A fake Slack for tests: {@link org.imaginebot.bot.slack.fake.FakeSlack} serves the Web API
 * methods the adapter calls (and a file upload URL) on 127.0.0.1, records every call with its time,
 * and posts signed slash commands and button presses to the adapter as Slack does.
 */
package org.imaginebot.bot.slack.fake;
