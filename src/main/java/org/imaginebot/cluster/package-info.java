/**
 * Scale-out over Redis and the database: {@link org.imaginebot.cluster.RedisJobQueue} is the fair
 * queue shared by bot nodes and workers (job records in the database, dispatch through Lua scripts
 * and a Redis Stream consumer group with heartbeats and reclaim), {@link
 * org.imaginebot.cluster.ClusterEvents} carries progress, results, cancels and settings notices
 * between nodes over pub/sub.
 */
package org.imaginebot.cluster;
