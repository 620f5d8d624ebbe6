/**
 * Where jobs become images: {@link org.imaginebot.worker.GenerationRunner} (cache, coalescing,
 * engine, output size) shared by the CLI and the GPU workers.
 */
package org.imaginebot.worker;
