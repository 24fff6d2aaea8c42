package io.hephaestus.benchmarks.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Advance;
import io.hephaestus.core.engine.Effect;
import io.hephaestus.core.engine.Engine;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * {@link EngineBenchmark} measures the pure engine's cost of one transition: applying a completed
 * step's result with {@link Engine#apply}, which records the step as completed, stores its
 * updates in the context, appends it to the history, activates its targets and checks the joins
 * they lead to, and returns the next immutable {@link Instance} with its effects.
 *
 * <p><strong>How.</strong> Setup drives an instance with the engine (as the runner does, minus
 * storage and threads) to the state just before the transition, and prepares the step's result.
 * Each invocation applies that one result to that same immutable snapshot, so every invocation
 * does exactly the same work; setup checks once that the transition does what it should (a
 * benchmark that measured an ignored result would be meaningless). Steps are written like the
 * README's (classes that do not override {@code key()}, so each call of {@code key()} the engine
 * makes, one per activated target, derives the key from the class name again, as it does for such
 * steps in the runner); each step's result adds one number to its context, as in the runner
 * benchmarks.
 *
 * <ul>
 * <li>{@code linearStep}: a line of five steps then {@code Done}; the third step completes, its
 * two predecessors already in the history and context, and the fourth is activated.</li>
 * <li>{@code fanOutStart}: one step, three in parallel, a join, then {@code Done} (the runner
 * benchmarks' W2); the first step completes and activates the three branches.</li>
 * <li>{@code branchIntoPendingJoin}: same workflow, all three branches active; the first completes
 * and reaches the join, which is not ready (two branches are still active): nothing is
 * activated.</li>
 * <li>{@code lastBranchFiresJoin}: same workflow, two branches completed; the last completes and
 * the join is activated.</li>
 * </ul>
 *
 * <p><strong>Reading the numbers.</strong> A score is the time of one transition on one thread, in
 * microseconds, excluding storage, telemetry, locking and the step body; compare with
 * {@code baseline} (an empty method). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the
 * garbage of one transition, mostly the new snapshot's copies of its sets, maps, history and
 * context, so it grows with the number of steps the instance has completed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineBenchmark {

    private static final Instant CREATED_AT = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * Measure nothing: the harness's cost per operation.
     */
    @Benchmark
    public void baseline() {
    }

    /**
     * Complete the middle step of a line of five.
     * @param linear the state
     * @return the next snapshot and its effects
     */
    @Benchmark
    public Advance linearStep(Linear linear) {
        return linear.transition.apply();
    }

    /**
     * Complete the step that fans out to three branches.
     * @param fanOut the state
     * @return the next snapshot and its effects
     */
    @Benchmark
    public Advance fanOutStart(FanOut fanOut) {
        return fanOut.start.apply();
    }

    /**
     * Complete a branch whose join still waits for two others.
     * @param fanOut the state
     * @return the next snapshot and its effects
     */
    @Benchmark
    public Advance branchIntoPendingJoin(FanOut fanOut) {
        return fanOut.firstBranch.apply();
    }

    /**
     * Complete the last branch, which fires the join.
     * @param fanOut the state
     * @return the next snapshot and its effects
     */
    @Benchmark
    public Advance lastBranchFiresJoin(FanOut fanOut) {
        return fanOut.lastBranch.apply();
    }

    /**
     * Run this benchmark from an IDE.
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new org.openjdk.jmh.runner.Runner(new OptionsBuilder().include(EngineBenchmark.class.getName()).build()).run();
    }

    /**
     * A line of five steps: {@code first -> second -> third -> fourth -> fifth -> Done}.
     */
    @State(Scope.Thread)
    public static class Linear {

        PreparedTransition transition;

        /**
         * Drive an instance until {@code third} is the active step.
         */
        @Setup(Level.Trial)
        public void setUp() {
            Step first = new First();
            Step second = new Second();
            Step third = new Third();
            Step fourth = new Fourth();
            Step fifth = new Fifth();
            Workflow workflow = Workflow.builder("linear")
                .businessKey("orderid")
                .start(first)
                .transition(first, AddOne.EVENT, second)
                .transition(second, AddOne.EVENT, third)
                .transition(third, AddOne.EVENT, fourth)
                .transition(fourth, AddOne.EVENT, fifth)
                .transition(fifth, AddOne.EVENT, Done.step())
                .build();
            Instance instance = started(workflow);
            instance = complete(workflow, instance, first, 2);
            instance = complete(workflow, instance, second, 3);
            this.transition = new PreparedTransition(workflow, instance, third.key(), at(4));
            this.transition.expect(Status.RUNNING, Set.of(fourth.key()), List.of(fourth.key()));
        }
    }

    /**
     * One step, three in parallel, a join, then {@code Done}:
     * {@code split -> [left, middle, right] -> join -> Done}.
     */
    @State(Scope.Thread)
    public static class FanOut {

        PreparedTransition start;

        PreparedTransition firstBranch;

        PreparedTransition lastBranch;

        /**
         * Drive an instance to the state before each of the three transitions.
         */
        @Setup(Level.Trial)
        public void setUp() {
            Step split = new Split();
            Step left = new Left();
            Step middle = new Middle();
            Step right = new Right();
            Step join = new Join();
            Workflow workflow = Workflow.builder("fanout")
                .businessKey("orderid")
                .start(split)
                .transition(split, AddOne.EVENT, left, middle, right)
                .transition(left, AddOne.EVENT, join)
                .transition(middle, AddOne.EVENT, join)
                .transition(right, AddOne.EVENT, join)
                .transition(join, AddOne.EVENT, Done.step())
                .build();
            Instance started = started(workflow);
            this.start = new PreparedTransition(workflow, started, split.key(), at(2));
            Set<String> branches = Set.of(left.key(), middle.key(), right.key());
            this.start.expect(Status.RUNNING, branches, List.of(left.key(), middle.key(), right.key()));

            Instance branching = this.start.apply().instance();
            this.firstBranch = new PreparedTransition(workflow, branching, left.key(), at(3));
            this.firstBranch.expect(Status.RUNNING, Set.of(middle.key(), right.key()), List.of());

            Instance lastOne = complete(workflow, complete(workflow, branching, left, 3), middle, 4);
            this.lastBranch = new PreparedTransition(workflow, lastOne, right.key(), at(5));
            this.lastBranch.expect(Status.RUNNING, Set.of(join.key()), List.of(join.key()));
        }
    }

    /**
     * One transition: a step's result applied to a fixed snapshot at a fixed time.
     */
    static final class PreparedTransition {

        private final Workflow workflow;

        private final Instance instance;

        private final String stepKey;

        private final StepResult result;

        private final Instant now;

        PreparedTransition(Workflow workflow, Instance instance, String stepKey, Instant now) {
            this.workflow = workflow;
            this.instance = instance;
            this.stepKey = stepKey;
            this.result = AddOne.result(instance);
            this.now = now;
        }

        Advance apply() {
            return Engine.apply(this.workflow, this.instance, this.stepKey, this.result, this.now);
        }

        /**
         * Check that the transition leads to the expected status and active steps, and executes
         * the expected steps.
         */
        void expect(Status status, Set<String> active, List<String> executed) {
            Advance advance = apply();
            Instance next = advance.instance();
            List<String> executes = advance.effects()
                .stream()
                .filter(Effect.ExecuteStep.class::isInstance)
                .map((effect) -> ((Effect.ExecuteStep) effect).step())
                .toList();
            if (next.status() != status || !next.activeSteps().equals(active) || !executes.equals(executed)
                    || !next.completedSteps().contains(this.stepKey)) {
                throw new IllegalStateException("completing " + this.stepKey + " should leave " + status + " with "
                        + active + " active and execute " + executed + ", but left " + next.status() + " with "
                        + next.activeSteps() + " active and effects " + advance.effects());
            }
        }
    }

    private static Instance started(Workflow workflow) {
        Instance pending = Instance.create("run-1", "orderid::42", workflow.name(), workflow.version(),
                Map.of(AddOne.SUM, 0), Map.of(), CREATED_AT);
        return Engine.advance(workflow, pending, at(1)).instance();
    }

    private static Instance complete(Workflow workflow, Instance instance, Step step, long millis) {
        return Engine.apply(workflow, instance, step.key(), AddOne.result(instance), at(millis)).instance();
    }

    private static Instant at(long millis) {
        return CREATED_AT.plusMillis(millis);
    }

    /**
     * A step that adds one to the number in the initial context and stores the sum under its key.
     */
    abstract static class AddOne implements Step {

        static final String EVENT = "ok";

        static final String SUM = "sum";

        @Override
        public Set<String> events() {
            return Set.of(EVENT);
        }

        @Override
        public StepResult execute(StepInput input) {
            return result(input.context().initial());
        }

        static StepResult result(Instance instance) {
            return result(instance.context().initial());
        }

        private static StepResult result(Map<String, Object> initial) {
            return StepResult.completed(EVENT, Map.of(SUM, ((Number) initial.get(SUM)).intValue() + 1));
        }
    }

    static final class First extends AddOne {
    }

    static final class Second extends AddOne {
    }

    static final class Third extends AddOne {
    }

    static final class Fourth extends AddOne {
    }

    static final class Fifth extends AddOne {
    }

    static final class Split extends AddOne {
    }

    static final class Left extends AddOne {
    }

    static final class Middle extends AddOne {
    }

    static final class Right extends AddOne {
    }

    static final class Join extends AddOne {
    }
}
