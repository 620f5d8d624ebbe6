/**
 * The result cache: {@link org.imaginebot.cache.ResultCache#tiered} keeps finished {@link
 * org.imaginebot.cache.CachedImage}s by {@link org.imaginebot.request.CacheKey} in memory
 * (Caffeine, weighted by PNG bytes) and on disk (content-addressed files that survive restarts),
 * both bounded and expiring per {@link org.imaginebot.cache.CacheConfig}; {@link
 * org.imaginebot.cache.CoalescingRunner} serves hits and runs concurrent requests for the same key
 * once. Cache trouble is logged and answered as a miss, never thrown.
 */
package org.imaginebot.cache;
