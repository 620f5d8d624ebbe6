/**
 * The engine's public face, free of DJL: {@link org.imaginebot.engine.Engine} runs a request and
 * reports {@link org.imaginebot.engine.Progress} to a {@link
 * org.imaginebot.engine.ProgressListener}; {@link org.imaginebot.engine.CancellationSignal} stops
 * it between steps. The DJL implementation lives in {@code engine.djl}; the CLIP tokenizer in
 * {@code engine.tokenizer}.
 */
package org.imaginebot.engine;
