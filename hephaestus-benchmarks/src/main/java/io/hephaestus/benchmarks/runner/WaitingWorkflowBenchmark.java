package io.hephaestus.benchmarks.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.flowable.engine.runtime.Execution;
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
import io.hephaestus.core.steps.WaitForEvent;

import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.BATCH;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.SEED;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.check;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.increment;
import static io.hephaestus.benchmarks.runner.RunnerBenchmarks.seed;

/**
 * {@link WaitingWorkflowBenchmark} measures W3, one step, a wait for an external event, one step
 * and then {@code Done}, end to end on the local runner in memory, next to the same two step bodies
 * called directly, chained with {@link CompletableFuture} on a pool like the runner's (the external
 * event is a future the caller completes), and run by embedded Flowable 7.2 (service task, receive
 * task, service task: {@code bpmn/waiting.bpmn20.xml}).
 *
 * <p><strong>How.</strong> A workflow is started, waits once it has run its first step, and is
 * resumed by the caller: Hephaestus with the built-in {@link WaitForEvent} step and
 * {@code Runner.resume(workflow, id, event)} once the instance is stored as waiting (its
 * {@code hephaestus.step.async} event tells when); Flowable with a receive task and
 * {@code runtimeService.trigger(executionId)}, after the execution query that finds the waiting
 * execution of the process instance (Flowable's way to address a waiting instance, as Hephaestus's
 * resume looks the instance up by business id). {@code *Throughput} benchmarks count workflows per
 * second: one operation starts {@value RunnerBenchmarks#BATCH} instances, waits until all of them
 * wait, resumes all of them, and returns once all have completed ({@code @OperationsPerInvocation}).
 * Every implementation uses every core and no more: {@code hephaestus} and {@code futures} start
 * and resume the batch from the benchmark thread and run it on a pool of one thread per core;
 * {@code flowable} splits the batch over one caller thread per core, each starting then resuming
 * its share (see {@link FlowableState}); {@code direct} runs one batch per core on as many
 * benchmark threads ({@code @Threads(Threads.MAX)}). {@code *Latency}
 * benchmarks give the mean time of one workflow from start through its wait and resume to its
 * completion, one at a time, on one caller thread.
 *
 * <p><strong>Reading the numbers.</strong> {@code hephaestusThroughput / flowableThroughput} is the
 * comparison with the peer (target: at least 50: parking and resuming an instance is where an
 * engine on a database pays most); {@code directThroughput} is the physical limit of the step
 * bodies, and {@code futuresThroughput} the limit of any engine that hands each step to a pool
 * thread. {@code (hephaestusLatency - directLatency) / 3} is the engine's overhead per step in
 * microseconds, counting the two steps and the wait (and, as in every shape, {@code Done}). Most of
 * that latency is waking threads (a pool thread to start and after the resume, the benchmark
 * thread when the instance waits and when it completes), which {@code futuresLatency} pays as well:
 * {@code (hephaestusLatency - futuresLatency) / 3} compares the engine with that hand-off chain.
 */
@Fork(1)
// Five warm-up iterations instead of three: both engines' hot paths are large (Flowable's most of
// all), and on two busy cores the JIT took about ten seconds to compile them in smoke runs; with
// three, the measured iterations were still getting faster.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class WaitingWorkflowBenchmark {

    /** The workflow name. */
    static final String WORKFLOW = "waiting";

    /** The key of the wait step (the Flowable receive task has the same id). */
    static final String WAIT = "wait";

    /** The external event that resumes the wait. */
    static final String EVENT = "received";

    /** The number of steps the engine runs besides {@code Done}: two steps and the wait. */
    static final int STEPS = 3;

    /**
     * Run the benchmarks of this class from an IDE.
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(WaitingWorkflowBenchmark.class.getSimpleName()).build()).run();
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
     * Workflows per second of the local runner: start a batch, wait until every instance waits,
     * resume every one, wait until all completed.
     * @param state the runner
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void hephaestusThroughput(Hephaestus state) {
        String[] ids = state.ids;
        state.completions.expect(BATCH);
        for (int i = 0; i < BATCH; i++) {
            ids[i] = state.start();
        }
        state.completions.awaitWaiting();
        for (int i = 0; i < BATCH; i++) {
            state.runner.resume(WORKFLOW, ids[i], EVENT);
        }
        state.completions.awaitFinished();
    }

    /**
     * Mean time of one workflow on the local runner: start, wait until it waits, resume, wait
     * until it completed.
     * @param state the runner
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void hephaestusLatency(Hephaestus state) {
        state.completions.expect(1);
        String id = state.start();
        state.completions.awaitWaiting();
        state.runner.resume(WORKFLOW, id, EVENT);
        state.completions.awaitFinished();
    }

    /**
     * Workflows per second of the step bodies called directly: the first step of a batch, then
     * the second step of the batch, one caller thread per core.
     * @param blackhole sink for the contexts
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    @Threads(Threads.MAX)
    public void directThroughput(Blackhole blackhole) {
        List<Map<String, Object>> waiting = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            waiting.add(directBefore());
        }
        for (int i = 0; i < BATCH; i++) {
            blackhole.consume(directAfter(waiting.get(i)));
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
        return directAfter(directBefore());
    }

    /**
     * Workflows per second of the step bodies chained on a pool: start a batch, wait until every
     * first step ran, complete every event, join all.
     * @param state the pool
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void futuresThroughput(FuturesState state) {
        FuturesWorkflow[] workflows = new FuturesWorkflow[BATCH];
        for (int i = 0; i < BATCH; i++) {
            workflows[i] = new FuturesWorkflow(state.executor);
        }
        for (FuturesWorkflow workflow : workflows) {
            workflow.before.join();
        }
        for (FuturesWorkflow workflow : workflows) {
            workflow.event.complete(EVENT);
        }
        for (FuturesWorkflow workflow : workflows) {
            workflow.after.join();
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
        FuturesWorkflow workflow = new FuturesWorkflow(state.executor);
        workflow.before.join();
        workflow.event.complete(EVENT);
        return workflow.after.join();
    }

    /**
     * Workflows per second of embedded Flowable: the batch split over one caller thread per core,
     * each of which starts its share (each instance runs to its receive task in the call), then
     * triggers every one of them (each runs to its end in the call).
     * @param state the engine
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void flowableThroughput(Flowable state) {
        state.split((size) -> {
            String[] ids = new String[size];
            for (int i = 0; i < size; i++) {
                ids[i] = state.start().getId();
            }
            for (int i = 0; i < size; i++) {
                state.resume(ids[i]);
            }
        });
    }

    /**
     * Mean time of one process instance of embedded Flowable: start it, trigger it.
     * @param state the engine
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void flowableLatency(Flowable state) {
        state.resume(state.start().getId());
    }

    /**
     * Return W3 as a Hephaestus workflow.
     * @return the workflow
     */
    static Workflow workflow() {
        Increment before = new Increment("before", SEED);
        WaitForEvent wait = WaitForEvent.of(WAIT, EVENT);
        Increment after = new Increment("after", "before");
        return Workflow.builder(WORKFLOW)
            .businessKey(HephaestusState.BUSINESS_KEY)
            .start(before)
            .transition(before, Increment.EVENT, wait)
            .transition(wait, EVENT, after)
            .transition(after, Increment.EVENT, Done.step())
            .build();
    }

    /**
     * Run W3's first step body directly on a new plain map.
     * @return the context
     */
    static Map<String, Object> directBefore() {
        return increment(seed(new HashMap<>()), "before", SEED);
    }

    /**
     * Run W3's second step body directly.
     * @param context the context after the first step
     * @return the final context
     */
    static Map<String, Object> directAfter(Map<String, Object> context) {
        return increment(context, "after", "before");
    }

    /**
     * One W3 of step bodies chained on a pool: the first step is a task, the external event a
     * future the caller completes, and the second step a task that runs once both are done.
     */
    static final class FuturesWorkflow {

        final CompletableFuture<Map<String, Object>> before;

        final CompletableFuture<String> event = new CompletableFuture<>();

        final CompletableFuture<Map<String, Object>> after;

        FuturesWorkflow(Executor executor) {
            this.before = CompletableFuture.supplyAsync(WaitingWorkflowBenchmark::directBefore, executor);
            this.after = this.before.thenCombineAsync(this.event,
                    (context, event) -> WaitingWorkflowBenchmark.directAfter(context), executor);
        }
    }

    /**
     * The local runner running W3.
     */
    @State(Scope.Benchmark)
    public static class Hephaestus extends HephaestusState {

        final String[] ids = new String[BATCH];

        @Override
        protected Workflow workflow() {
            return WaitingWorkflowBenchmark.workflow();
        }

        @Override
        protected void verify() {
            this.completions.expect(1);
            String id = start();
            this.completions.awaitWaiting();
            check("status of " + id + " before the resume", Status.WAITING, get(id).status());
            this.runner.resume(WORKFLOW, id, EVENT);
            this.completions.awaitFinished();
            Instance instance = get(id);
            check("status of " + id, Status.COMPLETED, instance.status());
            check("after of " + id, 2, Increment.read(instance.context(), "after"));
            check("direct after", 2, directAfter(directBefore()).get("after"));
            FuturesWorkflow futures = new FuturesWorkflow(Runnable::run);
            futures.event.complete(EVENT);
            check("futures after", 2, futures.after.join().get("after"));
        }
    }

    /**
     * Embedded Flowable with W3 deployed.
     */
    @State(Scope.Benchmark)
    public static class Flowable extends FlowableState {

        @Override
        protected String resource() {
            return "bpmn/waiting.bpmn20.xml";
        }

        @Override
        protected void verify() {
            ProcessInstance instance = start();
            check("process waiting", false, instance.isEnded());
            check("before", 1, this.runtime.getVariable(instance.getId(), "before"));
            resume(instance.getId());
            check("process instances left", 0L, running());
        }

        /**
         * Find the execution waiting in the receive task of a process instance and trigger it.
         * @param processInstanceId the process instance
         */
        void resume(String processInstanceId) {
            Execution waiting = this.runtime.createExecutionQuery()
                .processInstanceId(processInstanceId)
                .activityId(WAIT)
                .singleResult();
            this.runtime.trigger(waiting.getId());
        }
    }
}
