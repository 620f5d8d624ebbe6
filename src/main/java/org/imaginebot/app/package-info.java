/**
 * The process entry point and wiring: {@link org.imaginebot.app.Main} parses the command line
 * (picocli) and runs {@code generate}, which loads the configuration, builds the engine and writes
 * the image with a terminal progress bar.
 */
package org.imaginebot.app;
