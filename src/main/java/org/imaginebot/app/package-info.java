/**
 * The process entry point and the one place the application is wired: {@link
 * org.imaginebot.app.Main} parses the command line (picocli) and runs {@code generate} (one image
 * through the cache and engine, with a progress bar), {@code serve} (the bot: core, metrics,
 * Discord), {@code models} (list, verify, fetch model files) and {@code bench} (engine, queue,
 * strategies). {@link org.imaginebot.app.BotApplication} builds the core, the adapters and the
 * workers in their startup order, for {@code serve} and the end-to-end tests alike.
 */
package org.imaginebot.app;
