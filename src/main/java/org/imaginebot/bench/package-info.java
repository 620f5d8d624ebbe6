/**
 * The built-in benchmarks behind {@code bench queue} and {@code bench strategies}: not production
 * code, but they build what {@code serve} runs ({@link org.imaginebot.bench.QueueBenchmark} uses
 * {@link org.imaginebot.queue.QueueLimits#serving} (as {@code serve} builds it) on a throwaway
 * {@link org.imaginebot.bench.BenchDatabase}) and report figures that cannot be true by
 * construction: fairness as the wait ordinary users see while one user floods ({@link
 * org.imaginebot.bench.FairnessFigures}), and strategy scores with the wall time each run really
 * took, optionally judged by a CLIP the strategies did not optimize against ({@link
 * org.imaginebot.bench.StrategyBenchmark}).
 */
package org.imaginebot.bench;
