/**
 * The one database of the bot: {@link org.imaginebot.db.Database} opens a connection pool
 * (HikariCP) on {@code queue.database}, migrates its schema (Flyway, scripts in {@code
 * db/migration}) and probes its health; the job, settings, reply-address and button stores share
 * its {@link javax.sql.DataSource}. {@link org.imaginebot.db.DatabaseFailure} turns a JDBC failure
 * into a short cause fit for users and {@code /health}, and {@link org.imaginebot.db.JdbcUrls}
 * hides passwords in URLs.
 */
package org.imaginebot.db;
