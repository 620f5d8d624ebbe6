/**
 * What a user asks for: {@link org.imaginebot.request.RequestParser} reads the command line every
 * adapter accepts ({@code a lighthouse | oil painting:0.5 --no blurry --steps 300 --seed 7}) into a
 * {@link org.imaginebot.request.ParsedRequest}, which {@code resolve} turns into a {@link
 * org.imaginebot.request.GenerationRequest} within {@link org.imaginebot.request.RequestBounds};
 * bad input is a {@link org.imaginebot.request.RequestException} with a message for the user, which
 * quotes the input through {@link org.imaginebot.request.Echo} (short, nothing hidden). Below it,
 * {@link org.imaginebot.request.PromptParser} reads the {@code a | b:0.5} prompt language into
 * {@link org.imaginebot.request.WeightedPrompt}s, {@link org.imaginebot.request.Strategy} names how
 * to search, and {@link org.imaginebot.request.CacheKey} is the result cache's key of a request.
 * {@link org.imaginebot.request.SeedSource} says whether a seed was typed, derived from the request
 * ({@link org.imaginebot.request.DerivedSeed}, so a repeat is a cache hit) or random.
 */
package org.imaginebot.request;
