package io.hephaestus.core.steps;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.hephaestus.core.engine.Context;

/**
 * {@link StepInput} is everything a {@link Step} receives when it executes.
 *
 * @param instanceId the business id of the instance, such as {@code orderid::42}
 * @param workflow the workflow name
 * @param workflowVersion the workflow version the instance runs
 * @param context the instance context: the initial data and the results of completed steps
 * @param config the config attached to the transition that activated this step (empty if none)
 * @param attempt the attempt number, starting at 1 and increased by each retry
 * @since 0.1.0
 */
public record StepInput(String instanceId, String workflow, int workflowVersion, Context context,
        Map<String, Object> config, int attempt) {

    /**
     * Validate the components.
     */
    public StepInput {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(config, "config");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
        }
    }

    /**
     * Return a value of the initial context.
     * @param key the key in the initial data
     * @return the value, or empty if absent or null
     */
    public Optional<Object> initial(String key) {
        return Optional.ofNullable(this.context.initial().get(key));
    }
}
