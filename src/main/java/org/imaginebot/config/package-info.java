/**
 * Configuration loading machinery, owned by no section: {@link org.imaginebot.config.Yaml} reads
 * YAML with line numbers, {@link org.imaginebot.config.ConfigKeys} derives every key and its {@code
 * IMAGINE_*} variable from a tree of records, {@link org.imaginebot.config.Checks} validates
 * values, and {@link org.imaginebot.config.ConfigException} carries a one-line message that names
 * the key, the bad value and what is allowed.
 *
 * <p>Each section record lives with the package that owns it ({@code engine.EngineConfig}, {@code
 * queue.QueueConfig}, ...); the whole application's config and its loader live in {@code app}. This
 * package imports none of them.
 */
package org.imaginebot.config;
