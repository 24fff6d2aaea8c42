package io.hephaestus.core.steps;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.hephaestus.core.engine.Context;

/**
 * {@link StepInput} is everything a {@link Step} receives when it executes.
 *
 * @param runId the run id of the instance (a UUID), unique per run
 * @param instanceId the business id of the instance, such as {@code orderid::42}
 * @param workflow the workflow name
 * @param workflowVersion the workflow version the instance runs
 * @param context the instance context: the initial data and the results of completed steps
 * @param config the config attached to the transition that activated this step (empty if none)
 * @param step the key of the executing step
 * @param attempt the attempt number, starting at 1 and increased by each retry
 * @since 0.1.0
 */
public record StepInput(String runId, String instanceId, String workflow, int workflowVersion, Context context,
        Map<String, Object> config, String step, int attempt) {

    /**
     * Validate the components.
     */
    public StepInput {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(step, "step");
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

    /**
     * Return a key that identifies this attempt of this step of this run: {@code <run id>/<step>/<attempt>}.
     * Steps run at least once (a step that was running when its runner stopped runs again), so a step
     * with side effects outside the instance passes this key to the system it calls (as an
     * idempotency key, a unique request id or a deduplication column) to make a repeat harmless. A
     * retry after a failure is a new attempt and gets a new key.
     * @return the idempotency key
     */
    public String idempotencyKey() {
        return this.runId + '/' + this.step + '/' + this.attempt;
    }
}
