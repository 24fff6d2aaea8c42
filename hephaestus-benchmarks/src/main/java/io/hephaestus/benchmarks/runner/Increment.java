package io.hephaestus.benchmarks.runner;

import java.util.Map;
import java.util.Set;

import io.hephaestus.core.engine.Context;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * {@link Increment} is the trivial Hephaestus step of the runner benchmarks: it reads the values
 * its predecessors stored (or the seed of the initial context) and completes with one plus the
 * largest, stored under its own key as {@code {"value": n}}.
 */
final class Increment implements Step {

    /** The only event an increment emits. */
    static final String EVENT = "incremented";

    private static final Set<String> EVENTS = Set.of(EVENT);

    private final String key;

    private final String[] inputs;

    /**
     * Create the step.
     * @param key the step key
     * @param inputs the keys of the steps it reads, or {@link RunnerBenchmarks#SEED} for the seed
     */
    Increment(String key, String... inputs) {
        this.key = key;
        this.inputs = inputs.clone();
    }

    @Override
    public Set<String> events() {
        return EVENTS;
    }

    @Override
    public StepResult execute(StepInput input) {
        Context context = input.context();
        int largest = Integer.MIN_VALUE;
        for (String source : this.inputs) {
            largest = Math.max(largest, read(context, source));
        }
        return StepResult.completed(EVENT, Map.of(RunnerBenchmarks.VALUE, largest + 1));
    }

    @Override
    public String key() {
        return this.key;
    }

    /**
     * Return the value written by a step, from the instance context.
     * @param context the context
     * @param stepKey the step key
     * @return the value
     */
    static int read(Context context, String stepKey) {
        Object value = stepKey.equals(RunnerBenchmarks.SEED) ? context.initial().get(RunnerBenchmarks.SEED)
                : context.step(stepKey).get(RunnerBenchmarks.VALUE);
        return ((Number) value).intValue();
    }
}
