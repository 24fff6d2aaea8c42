package io.hephaestus.core.runtime;

import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.internal.Frozen;

/**
 * {@link StepExecution} describes one attempt of one step to a {@link StepInterceptor}.
 *
 * @param runId the run id of the instance (the storage key)
 * @param instanceId the business id of the instance
 * @param workflow the workflow name
 * @param workflowVersion the workflow version the instance runs
 * @param stepKey the step's key in the workflow
 * @param stepName the step's name (its type, such as {@code http_call})
 * @param attempt the attempt number, from 1
 * @param trigger why the step runs now
 * @param traceContext the trace context stored with the instance when it was started, empty for none
 * @param parentContext the trace context current where the step was dispatched (see
 *        {@link StepInterceptor#currentContext()}), empty when there was none or the runner cannot tell
 * @since 0.1.0
 */
public record StepExecution(String runId, String instanceId, String workflow, int workflowVersion, String stepKey,
        String stepName, int attempt, StepTrigger trigger, Map<String, String> traceContext,
        Map<String, String> parentContext) {

    /**
     * Validate and freeze the components.
     */
    public StepExecution {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(stepKey, "stepKey");
        Objects.requireNonNull(stepName, "stepName");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be positive, got " + attempt);
        }
        Objects.requireNonNull(trigger, "trigger");
        traceContext = Frozen.map(traceContext, "traceContext");
        parentContext = Frozen.map(parentContext, "parentContext");
    }
}
