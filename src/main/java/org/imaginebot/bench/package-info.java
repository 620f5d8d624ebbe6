/**
 * The built-in benchmarks behind {@code bench queue}, {@code bench strategies} and {@code bench
 * fuzz}: not production code, but they build what {@code serve} runs ({@link
 * org.imaginebot.bench.QueueBenchmark} uses {@link org.imaginebot.queue.QueueLimits#serving} (as
 * {@code serve} builds it) on a throwaway {@link org.imaginebot.bench.BenchDatabase}) and report
 * figures that cannot be true by construction: fairness as the wait ordinary users see while one
 * user floods ({@link org.imaginebot.bench.FairnessFigures}), and strategy scores with the wall
 * time each run really took, optionally judged by a CLIP the strategies did not optimize against
 * ({@link org.imaginebot.bench.StrategyBenchmark}). {@link org.imaginebot.bench.FuzzBenchmark}
 * sends the seeded hostile commands of {@link org.imaginebot.bench.FuzzCases} through the core and
 * checks each answer ({@link org.imaginebot.bench.FuzzAnswers}) and what the store kept ({@link
 * org.imaginebot.bench.FuzzStore}); the adapters' fuzz test drives the same cases through Bolt and
 * JDA. {@link org.imaginebot.bench.Charts} draws the results those benchmarks write (for {@code
 * bench report}).
 */
package org.imaginebot.bench;
