/**
 * Live per-scope settings: what moderators change from chat ({@code /imagine-admin set maxSteps
 * 300}) for one Discord guild or Slack workspace, applied at once, kept across restarts and
 * audited. {@link org.imaginebot.settings.LiveSettings} is the entry point: it serves each scope's
 * {@link org.imaginebot.settings.ScopeSettings} from memory, validates changes by {@link
 * org.imaginebot.settings.Setting}, stores them with an {@link org.imaginebot.settings.AuditEntry}
 * through a {@link org.imaginebot.settings.SettingsStore} (JDBC: H2 or PostgreSQL) and tells {@link
 * org.imaginebot.settings.SettingsListener}s; {@link org.imaginebot.settings.BannedWords} finds
 * banned words in prompts.
 */
package org.imaginebot.settings;
