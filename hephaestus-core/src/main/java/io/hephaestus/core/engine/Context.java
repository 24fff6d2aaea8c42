package io.hephaestus.core.engine;

import java.util.Map;
import java.util.Optional;

import io.hephaestus.core.internal.Frozen;
import io.hephaestus.core.internal.JsonValues;

/**
 * {@link Context} is the data of one instance: the immutable initial data it was started with, and
 * the results of every completed step, each under its own step key.
 *
 * <p>Parallel branches never collide because each step writes only under its own key. A step that
 * completes again (it cannot, in a validated workflow) would replace its entry rather than merge.
 *
 * @param initial the data given at start, never modified
 * @param steps the results of completed steps, by step key
 * @since 0.1.0
 */
public record Context(Map<String, Object> initial, Map<String, Map<String, Object>> steps) {

    private static final Context EMPTY = new Context(Map.of(), Map.of());

    /**
     * Validate and freeze the components.
     */
    public Context {
        initial = JsonValues.freeze(initial, "initial context");
        steps = Frozen.map(steps, "steps", (key, value) -> JsonValues.freeze(value, "context of step ", key));
    }

    /**
     * Return the empty context.
     * @return a context without initial data or step results
     */
    public static Context empty() {
        return EMPTY;
    }

    /**
     * Return a context with the given initial data and no step results.
     * @param initial the data given at start, JSON-safe
     * @return the context
     */
    public static Context of(Map<String, ?> initial) {
        return new Context(JsonValues.freeze(initial, "initial context"), Map.of());
    }

    /**
     * Return a copy of this context with {@code updates} stored under {@code stepKey}.
     * @param stepKey the key of the completed step
     * @param updates the step's results
     * @return the new context
     */
    public Context withStep(String stepKey, Map<String, Object> updates) {
        return new Context(this.initial,
                Frozen.put(this.steps, stepKey, JsonValues.freeze(updates, "context of step ", stepKey)));
    }

    /**
     * Return the results of one completed step.
     * @param stepKey the step key
     * @return its results, empty if the step has not completed or stored nothing
     */
    public Map<String, Object> step(String stepKey) {
        return this.steps.getOrDefault(stepKey, Map.of());
    }

    /**
     * Return one value of the initial data.
     * @param key the key
     * @return the value, or empty if absent or null
     */
    public Optional<Object> initial(String key) {
        return Optional.ofNullable(this.initial.get(key));
    }
}
