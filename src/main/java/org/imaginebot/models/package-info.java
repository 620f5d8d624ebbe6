/**
 * The model manifest and model files: {@link org.imaginebot.models.ModelManifest#load} reads {@code
 * config/models.yaml} into {@link org.imaginebot.models.ModelSpec}s and {@link
 * org.imaginebot.models.ModelFile}s, {@link org.imaginebot.models.ModelFiles#verify} checks a
 * file's SHA-256 before the engine loads it, and {@link org.imaginebot.models.ModelDownloader}
 * fetches a missing or corrupt file from its manifest URL, resuming and checking the SHA-256. A bad
 * file is a {@link org.imaginebot.models.ModelFileException} that says how to get it.
 */
package org.imaginebot.models;
