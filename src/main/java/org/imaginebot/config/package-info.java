/**
 * Typed, validated configuration: {@link org.imaginebot.config.ConfigLoader#load} reads
 * {@code config/application.yaml}, applies {@code IMAGINE_*} environment variables and
 * {@code --set key=value} overrides and returns an {@link org.imaginebot.config.AppConfig} of
 * records ({@link org.imaginebot.config.EngineConfig}, ...);
 * {@link org.imaginebot.config.ModelManifest#load} reads {@code config/models.yaml} into
 * {@link org.imaginebot.config.ModelSpec}s and {@link org.imaginebot.config.ModelFile}s, and
 * {@link org.imaginebot.config.ModelFiles#verify} checks a model file's SHA-256 before the engine
 * loads it; {@link org.imaginebot.config.ModelDownloader} fetches a missing or corrupt file from its
 * manifest URL, resuming and checking the SHA-256. Bad input is a {@link org.imaginebot.config.ConfigException} (or
 * {@link org.imaginebot.config.ModelFileException} for a model file) whose one-line message names
 * the key, the bad value and what is allowed.
 */
package org.imaginebot.config;
