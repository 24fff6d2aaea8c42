package io.hephaestus.core.definition;

import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.internal.JsonValues;
import io.hephaestus.core.steps.Step;

/**
 * {@link Target} is a step a transition activates, with an optional config the step receives in
 * {@link io.hephaestus.core.steps.StepInput#config()}.
 *
 * @param step the step to activate
 * @param config the config for that step, JSON-safe, empty for none
 * @since 0.1.0
 */
public record Target(Step step, Map<String, Object> config) {

    /**
     * Validate and freeze the components.
     */
    public Target {
        Objects.requireNonNull(step, "step");
        config = JsonValues.freeze(config, "config of step " + step.key());
    }

    /**
     * Return a target without config.
     * @param step the step to activate
     * @return the target
     */
    public static Target of(Step step) {
        return new Target(step, Map.of());
    }

    /**
     * Return a target with config.
     * @param step the step to activate
     * @param config the config, JSON-safe
     * @return the target
     */
    public static Target of(Step step, Map<String, ?> config) {
        return new Target(step, JsonValues.freeze(config, "config of step " + step.key()));
    }
}
