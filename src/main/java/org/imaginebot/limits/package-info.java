/**
 * Admission limits: {@link org.imaginebot.limits.RequestPolicy} (the live settings' rules), {@link
 * org.imaginebot.limits.RateLimits} (requests per minute per user and per guild) and {@link
 * org.imaginebot.limits.GpuShares} (jobs of one guild running at once), each refusal a typed {@link
 * org.imaginebot.limits.Refusal} with a message for the user.
 */
package org.imaginebot.limits;
