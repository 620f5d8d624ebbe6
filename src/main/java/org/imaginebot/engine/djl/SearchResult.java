package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDList;
import org.imaginebot.engine.GenerationResult;

/**
 * What a search found: its result as a strategy of its own, and the best candidate's latents (owned
 * by the run's manager) for a refinement to start from.
 */
record SearchResult(GenerationResult result, NDList bestLatents) {}
