package io.hephaestus.core.steps;

import java.util.Set;

/**
 * {@link Done} is the built-in terminal step: every path of a workflow ends in it, and an instance
 * completes once {@code Done} has run and nothing else is active.
 *
 * <p>{@code Done} runs exactly once per instance, after every branch leading to it has either
 * reached it or been ruled out.
 *
 * @since 0.1.0
 */
public final class Done implements Step {

    /** The event {@code Done} emits. */
    public static final String EVENT = "done";

    /** The key of {@code Done}. */
    public static final String KEY = "done";

    private static final Done INSTANCE = new Done();

    private Done() {
    }

    /**
     * Return the {@code Done} step.
     * @return the shared instance
     */
    public static Done step() {
        return INSTANCE;
    }

    @Override
    public Set<String> events() {
        return Set.of(EVENT);
    }

    /**
     * Return no event: this step never waits, so callers have nothing to send it.
     * @return an empty set
     */
    @Override
    public Set<String> externalEvents() {
        return Set.of();
    }

    @Override
    public StepResult execute(StepInput input) {
        return StepResult.completed(EVENT);
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String name() {
        return "Done";
    }
}
