package io.hephaestus.benchmarks.runner;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.flowable.engine.runtime.ProcessInstance;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;

import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.BATCH;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.SEED;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.check;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.increment;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.seed;

/**
 * {@link ParallelWorkflowBenchmark} measures W2, one step, three steps in parallel, a join step and
 * then {@code Done}, end to end on the local runner in memory, next to the same five step bodies
 * called directly (the branches one after the other), chained with {@link CompletableFuture} on a
 * pool like the runner's (fan-out by three dependent stages, fan-in with
 * {@link CompletableFuture#allOf}), and run by embedded Flowable 7.2 (service task, parallel gateway
 * fork of three service tasks, parallel gateway join, service task: {@code bpmn/parallel.bpmn20.xml}).
 *
 * <p><strong>How.</strong> {@code *Throughput} benchmarks count workflows per second: one operation
 * starts a batch of {@value RunnerBenchmarks#BATCH} workflows and returns once all have completed
 * ({@code @OperationsPerInvocation}), so the runner works with a full queue. Every implementation
 * uses every core and no more: {@code hephaestus} and {@code futures} start the batch from the
 * benchmark thread and run it on a pool of one thread per core; {@code flowable} splits the batch
 * over one caller thread per core (see {@link FlowableState}); {@code direct} runs one batch per
 * core on as many benchmark threads ({@code @Threads(Threads.MAX)}: splitting its batch, a
 * fraction of a millisecond, would measure the hand-off instead of the bodies). {@code *Latency}
 * benchmarks give the mean time of one workflow from start to completion, one at a time, on one
 * caller thread; there the branches of {@code hephaestus} and {@code futures} really run in
 * parallel, those of {@code direct} and {@code flowable} one after the other. Hephaestus learns of
 * completions from its own telemetry ({@link Completions}).
 *
 * <p><strong>Reading the numbers.</strong> {@code hephaestusThroughput / flowableThroughput} is the
 * comparison with the peer (target: at least 10); {@code directThroughput} is the physical limit
 * of the step bodies on these cores, and {@code futuresThroughput} the limit of any engine that
 * hands each step to a pool thread. {@code (hephaestusLatency - directLatency) / 5} is the
 * engine's overhead per step in microseconds (target: at most 2), the join's bookkeeping included
 * ({@code Done} is a sixth step the engine runs without a direct counterpart, so its cost is
 * included in the overhead too). Much of that latency is waking pool threads (the runner runs one
 * branch of the fan-out on the thread that applied the fan-out and hands the others over), which
 * {@code futuresLatency} pays as well: {@code (hephaestusLatency - futuresLatency) / 5} compares the
 * engine with that hand-off chain.
 */
@Fork(1)
// Five warm-up iterations instead of three: both engines' hot paths are large (Flowable's most of
// all), and on two busy cores the JIT took about ten seconds to compile them in smoke runs; with
// three, the measured iterations were still getting faster.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParallelWorkflowBenchmark {

    /** The workflow name. */
    static final String WORKFLOW = "parallel";

    /** The number of user steps (not counting {@code Done}): the first, three branches, the join. */
    static final int STEPS = 5;

    /**
     * Run the benchmarks of this class from an IDE.
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(ParallelWorkflowBenchmark.class.getSimpleName()).build()).run();
    }

    /**
     * The empty benchmark: JMH's own cost per invocation.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void baseline() {
        // Empty on purpose.
    }

    /**
     * Workflows per second of the local runner: start a batch, wait until all completed.
     * @param state the runner
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void hephaestusThroughput(Hephaestus state) {
        state.completions.expect(BATCH);
        for (int i = 0; i < BATCH; i++) {
            state.start();
        }
        state.completions.awaitFinished();
    }

    /**
     * Mean time of one workflow on the local runner, from start to completion.
     * @param state the runner
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void hephaestusLatency(Hephaestus state) {
        state.completions.expect(1);
        state.start();
        state.completions.awaitFinished();
    }

    /**
     * Workflows per second of the step bodies called directly, one caller thread per core.
     * @param blackhole sink for the contexts
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    @Threads(Threads.MAX)
    public void directThroughput(Blackhole blackhole) {
        for (int i = 0; i < BATCH; i++) {
            blackhole.consume(direct());
        }
    }

    /**
     * Mean time of the step bodies of one workflow called directly.
     * @return the final context
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Map<String, Object> directLatency() {
        return direct();
    }

    /**
     * Workflows per second of the step bodies chained on a pool: start a batch, join all.
     * @param state the pool
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void futuresThroughput(FuturesState state) {
        CompletableFuture<?>[] workflows = new CompletableFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            workflows[i] = futures(state.executor);
        }
        for (CompletableFuture<?> workflow : workflows) {
            workflow.join();
        }
    }

    /**
     * Mean time of one workflow of step bodies chained on a pool.
     * @param state the pool
     * @return the final context
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Map<String, Object> futuresLatency(FuturesState state) {
        return futures(state.executor).join();
    }

    /**
     * Workflows per second of embedded Flowable: the batch split over one caller thread per core,
     * each process instance running to its end in its caller's call.
     * @param state the engine
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void flowableThroughput(Flowable state) {
        state.split((size) -> {
            for (int i = 0; i < size; i++) {
                state.start();
            }
        });
    }

    /**
     * Mean time of one process instance of embedded Flowable (it runs to its end in the call).
     * @param state the engine
     * @return the ended process instance
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ProcessInstance flowableLatency(Flowable state) {
        return state.start();
    }

    /**
     * Return W2 as a Hephaestus workflow.
     * @return the workflow
     */
    static Workflow workflow() {
        Increment first = new Increment("first", SEED);
        Increment branch1 = new Increment("branch1", "first");
        Increment branch2 = new Increment("branch2", "first");
        Increment branch3 = new Increment("branch3", "first");
        Increment join = new Increment("join", "branch1", "branch2", "branch3");
        return Workflow.builder(WORKFLOW)
            .businessKey(HephaestusState.BUSINESS_KEY)
            .start(first)
            .transition(first, Increment.EVENT, branch1, branch2, branch3)
            .transition(branch1, Increment.EVENT, join)
            .transition(branch2, Increment.EVENT, join)
            .transition(branch3, Increment.EVENT, join)
            .transition(join, Increment.EVENT, Done.step())
            .build();
    }

    /**
     * Run W2's step bodies directly on a plain map.
     * @return the final context
     */
    static Map<String, Object> direct() {
        Map<String, Object> context = seed(new HashMap<>());
        increment(context, "first", SEED);
        increment(context, "branch1", "first");
        increment(context, "branch2", "first");
        increment(context, "branch3", "first");
        return increment(context, "join", "branch1", "branch2", "branch3");
    }

    /**
     * Chain W2's step bodies on the executor, each step a task of its own: the three branches
     * depend on the first step and run concurrently, the join waits for all three. The context is
     * a concurrent map because the branches write to it at the same time.
     * @param executor the pool
     * @return the future of the final context
     */
    static CompletableFuture<Map<String, Object>> futures(Executor executor) {
        Map<String, Object> context = seed(new ConcurrentHashMap<>());
        CompletableFuture<Map<String, Object>> first = CompletableFuture
            .supplyAsync(() -> increment(context, "first", SEED), executor);
        CompletableFuture<Map<String, Object>> branch1 = first
            .thenApplyAsync((ignored) -> increment(context, "branch1", "first"), executor);
        CompletableFuture<Map<String, Object>> branch2 = first
            .thenApplyAsync((ignored) -> increment(context, "branch2", "first"), executor);
        CompletableFuture<Map<String, Object>> branch3 = first
            .thenApplyAsync((ignored) -> increment(context, "branch3", "first"), executor);
        return CompletableFuture.allOf(branch1, branch2, branch3)
            .thenApplyAsync((ignored) -> increment(context, "join", "branch1", "branch2", "branch3"), executor);
    }

    /**
     * The local runner running W2.
     */
    @State(Scope.Benchmark)
    public static class Hephaestus extends HephaestusState {

        @Override
        protected Workflow workflow() {
            return ParallelWorkflowBenchmark.workflow();
        }

        @Override
        protected void verify() {
            this.completions.expect(1);
            String id = start();
            this.completions.awaitFinished();
            Instance instance = get(id);
            check("status of " + id, Status.COMPLETED, instance.status());
            check("join of " + id, 3, Increment.read(instance.context(), "join"));
            check("direct join", 3, direct().get("join"));
            check("futures join", 3, futures(Runnable::run).join().get("join"));
        }
    }

    /**
     * Embedded Flowable with W2 deployed.
     */
    @State(Scope.Benchmark)
    public static class Flowable extends FlowableState {

        @Override
        protected String resource() {
            return "bpmn/parallel.bpmn20.xml";
        }

        @Override
        protected void verify() {
            check("process ended", true, start().isEnded());
            check("process instances left", 0L, running());
        }
    }
}
