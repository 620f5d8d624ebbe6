/**
 * Where an image came from: {@link org.imaginebot.provenance.Provenance} is the request and engine
 * fingerprint behind a result, written into its PNG as an {@code imagine-bot} {@code tEXt} chunk of
 * JSON (the job store's request format plus model files and engine revision) and read back from it,
 * so {@code generate --from} can make the image again and the bot can show how it was made.
 */
package org.imaginebot.provenance;
