/**
 * The fair job queue: {@link org.imaginebot.queue.JobQueue} admits {@link
 * org.imaginebot.queue.Job}s under {@link org.imaginebot.queue.QueueLimits} (answering with an
 * {@link org.imaginebot.queue.Admission}), hands them out round-robin across users, reports
 * positions and cancels; {@link org.imaginebot.queue.JobStore} keeps them across restarts (JDBC: H2
 * or PostgreSQL).
 */
package org.imaginebot.queue;
