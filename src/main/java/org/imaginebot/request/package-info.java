/**
 * What a user asks for: {@link org.imaginebot.request.GenerationRequest}, its
 * {@link org.imaginebot.request.WeightedPrompt}s and {@link org.imaginebot.request.Strategy}, and
 * {@link org.imaginebot.request.PromptParser} for the {@code a | b:0.5} prompt language shared by
 * every adapter.
 */
package org.imaginebot.request;
