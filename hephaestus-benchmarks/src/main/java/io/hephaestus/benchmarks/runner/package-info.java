/**
 * End-to-end benchmarks of the {@link io.hephaestus.core.runtime.LocalRunner} on
 * {@link io.hephaestus.core.runtime.InMemoryStorage}, next to the same step bodies called directly,
 * chained with {@link java.util.concurrent.CompletableFuture}, and run by embedded Flowable 7.2.
 *
 * <p>Three workflow shapes, one class each, every step a trivial body that writes one plus the
 * largest value its predecessors wrote:
 * <ul>
 * <li>{@link io.hephaestus.benchmarks.runner.LinearWorkflowBenchmark} (W1): five steps in a line,
 * then {@code Done};</li>
 * <li>{@link io.hephaestus.benchmarks.runner.ParallelWorkflowBenchmark} (W2): one step, three in
 * parallel, a join step, then {@code Done};</li>
 * <li>{@link io.hephaestus.benchmarks.runner.WaitingWorkflowBenchmark} (W3): one step, a wait for an
 * external event, one step, then {@code Done}; a batch starts every instance, then resumes every
 * one.</li>
 * </ul>
 *
 * <p>Each class measures, for each of {@code hephaestus}, {@code direct}, {@code futures} and
 * {@code flowable}, the throughput in workflows per second (one operation is a batch of
 * {@value io.hephaestus.benchmarks.runner.RunnerBenchmarks#BATCH} workflows started and all
 * completed) and the mean latency of one workflow from start to completion in microseconds. The
 * ratio {@code hephaestus / direct} is the engine's cost against the physical limit,
 * {@code hephaestus / flowable} the comparison with the peer, and
 * {@code (hephaestus latency - direct latency) / steps} the engine's overhead per step.
 *
 * <p>{@link io.hephaestus.benchmarks.runner.JdbcBenchmark} is not a JMH benchmark but a harness run
 * from the same jar: the three shapes on the local runner with durable storage
 * ({@code JdbcStorage} on PostgreSQL) against raw db-scheduler running a chain of five tasks on the
 * same database, in interleaved rounds, with the statements, commits and CPU time each workflow
 * costs; {@link io.hephaestus.benchmarks.runner.JdbcWriteCost} measures what one storage write costs
 * there, alone or grouped.
 */
package io.hephaestus.benchmarks.runner;
