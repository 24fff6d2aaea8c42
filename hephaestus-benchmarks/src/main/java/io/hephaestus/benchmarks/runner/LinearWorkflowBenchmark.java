package io.hephaestus.benchmarks.runner;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * {@link LinearWorkflowBenchmark} measures W1, five trivial steps in a line and then {@code Done},
 * end to end on the local runner in memory, next to the same five step bodies called directly,
 * chained with {@link CompletableFuture} on a pool like the runner's, and run by embedded Flowable
 * 7.2 as five synchronous service tasks ({@code bpmn/linear.bpmn20.xml}).
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
 * caller thread. Hephaestus learns of completions from its own telemetry ({@link Completions}).
 *
 * <p><strong>Reading the numbers.</strong> {@code hephaestusThroughput / flowableThroughput} is the
 * comparison with the peer (target: at least 10); {@code directThroughput} is the physical limit
 * of the step bodies on these cores, and {@code futuresThroughput} the limit of any engine that
 * hands each step to a pool thread. {@code (hephaestusLatency - directLatency) / 5} is the
 * engine's overhead per step in microseconds (target: at most 2; {@code Done} is a sixth step the
 * engine runs but that has no direct counterpart, so its cost is included in the overhead). Much
 * of that latency is waking threads: the runner hands the first step to a pool thread, which runs
 * the line to its end itself, and the benchmark thread is woken when the workflow completes;
 * {@code futuresLatency} wakes a pool thread for every step.
 * {@code (hephaestusLatency - futuresLatency) / 5} compares the engine with that hand-off chain.
 */
@Fork(1)
// Five warm-up iterations instead of three: both engines' hot paths are large (Flowable's most of
// all), and on two busy cores the JIT took about ten seconds to compile them in smoke runs; with
// three, the measured iterations were still getting faster.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class LinearWorkflowBenchmark {

    /** The workflow name. */
    static final String WORKFLOW = "linear";

    /** The number of user steps (not counting {@code Done}). */
    static final int STEPS = 5;

    /**
     * Run the benchmarks of this class from an IDE.
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(LinearWorkflowBenchmark.class.getSimpleName()).build()).run();
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
     * Return W1 as a Hephaestus workflow.
     * @return the workflow
     */
    static Workflow workflow() {
        Increment step1 = new Increment("step1", SEED);
        Increment step2 = new Increment("step2", "step1");
        Increment step3 = new Increment("step3", "step2");
        Increment step4 = new Increment("step4", "step3");
        Increment step5 = new Increment("step5", "step4");
        return Workflow.builder(WORKFLOW)
            .businessKey(HephaestusState.BUSINESS_KEY)
            .start(step1)
            .transition(step1, Increment.EVENT, step2)
            .transition(step2, Increment.EVENT, step3)
            .transition(step3, Increment.EVENT, step4)
            .transition(step4, Increment.EVENT, step5)
            .transition(step5, Increment.EVENT, Done.step())
            .build();
    }

    /**
     * Run W1's step bodies directly on a plain map.
     * @return the final context
     */
    static Map<String, Object> direct() {
        Map<String, Object> context = seed(new HashMap<>());
        increment(context, "step1", SEED);
        increment(context, "step2", "step1");
        increment(context, "step3", "step2");
        increment(context, "step4", "step3");
        return increment(context, "step5", "step4");
    }

    /**
     * Chain W1's step bodies on the executor, each step a task of its own.
     * @param executor the pool
     * @return the future of the final context
     */
    static CompletableFuture<Map<String, Object>> futures(Executor executor) {
        return CompletableFuture.supplyAsync(() -> increment(seed(new HashMap<>()), "step1", SEED), executor)
            .thenApplyAsync((context) -> increment(context, "step2", "step1"), executor)
            .thenApplyAsync((context) -> increment(context, "step3", "step2"), executor)
            .thenApplyAsync((context) -> increment(context, "step4", "step3"), executor)
            .thenApplyAsync((context) -> increment(context, "step5", "step4"), executor);
    }

    /**
     * The local runner running W1.
     */
    @State(Scope.Benchmark)
    public static class Hephaestus extends HephaestusState {

        @Override
        protected Workflow workflow() {
            return LinearWorkflowBenchmark.workflow();
        }

        @Override
        protected void verify() {
            this.completions.expect(1);
            String id = start();
            this.completions.awaitFinished();
            Instance instance = get(id);
            check("status of " + id, Status.COMPLETED, instance.status());
            check("step5 of " + id, STEPS, Increment.read(instance.context(), "step5"));
            check("direct step5", STEPS, direct().get("step5"));
            check("futures step5", STEPS, futures(Runnable::run).join().get("step5"));
        }
    }

    /**
     * Embedded Flowable with W1 deployed.
     */
    @State(Scope.Benchmark)
    public static class Flowable extends FlowableState {

        @Override
        protected String resource() {
            return "bpmn/linear.bpmn20.xml";
        }

        @Override
        protected void verify() {
            check("process ended", true, start().isEnded());
            check("process instances left", 0L, running());
        }
    }
}
