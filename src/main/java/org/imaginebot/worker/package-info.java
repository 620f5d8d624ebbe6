/**
 * Where jobs become images: {@link org.imaginebot.worker.GenerationRunner} (cache, coalescing,
 * engine, output size) shared by the CLI and the GPU workers; {@link org.imaginebot.worker.Worker}
 * takes jobs from the queue and runs them within the GPU bulkhead and time limit, reporting to
 * {@link org.imaginebot.worker.JobEvents}; {@link org.imaginebot.worker.LazyEngine} loads the
 * engine on the first job.
 */
package org.imaginebot.worker;
