/**
 * The process entry point and wiring: {@link org.imaginebot.app.Main} parses the command line
 * (picocli) and runs {@code generate} (one image through the cache and engine, with a progress bar),
 * {@code serve} (the bot: core, metrics, Discord), {@code models} (list, verify, fetch model files)
 * and {@code bench} (engine, queue, strategies).
 */
package org.imaginebot.app;
