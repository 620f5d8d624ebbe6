/**
 * Fault tools the tests and {@code bench faults} share: {@link
 * org.imaginebot.bench.fake.TcpForwarder} stands between the bot and a database server and can be
 * cut as an outage would. The fake chat platforms are in {@code bench.fake.discord} and {@code
 * bench.fake.slack}.
 */
package org.imaginebot.bench.fake;
