package io.hephaestus.benchmarks.runner;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link FuturesState} is the JMH state behind the {@code futures} baselines: an executor like the
 * local runner's own (a fixed pool of {@link RunnerBenchmarks#THREADS} daemon threads on an
 * unbounded queue), on which the step bodies are chained with
 * {@link java.util.concurrent.CompletableFuture}. The difference between {@code futures} and
 * {@code direct} is the cost of handing every step to a pool thread; the difference between
 * {@code hephaestus} and {@code futures} is what the engine adds on top (storage, transitions,
 * join bookkeeping, telemetry checks).
 */
@State(Scope.Benchmark)
public class FuturesState {

    ExecutorService executor;

    /**
     * Start the pool.
     */
    @Setup(Level.Trial)
    public void startExecutor() {
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(RunnerBenchmarks.THREADS, (runnable) -> {
            Thread thread = new Thread(runnable, "futures-step-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Stop the pool.
     */
    @TearDown(Level.Trial)
    public void stopExecutor() {
        this.executor.shutdownNow();
    }
}
