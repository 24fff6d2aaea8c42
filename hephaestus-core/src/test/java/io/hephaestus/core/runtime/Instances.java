package io.hephaestus.core.runtime;

import java.time.Instant;
import java.util.Map;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

/**
 * {@link Instances} makes sample {@link Instance} values for storage tests. Every instance is
 * created at the same fixed instant, so tests cannot pass by relying on creation time for order.
 *
 * @since 0.1.0
 */
public final class Instances {

    /** The creation time of every sample instance. */
    public static final Instant CREATED_AT = Instant.parse("2025-01-01T00:00:00Z");

    /** The time sample instances are changed at by {@link #withStatus} and {@link #withMetadata}. */
    public static final Instant UPDATED_AT = Instant.parse("2025-01-01T00:05:00Z");

    private Instances() {
    }

    /**
     * Return a new pending instance with revision 0, ready to be created.
     * @param runId the run id
     * @param id the business id
     * @param workflow the workflow name
     * @param version the workflow version, positive
     * @return the instance
     */
    public static Instance pending(String runId, String id, String workflow, int version) {
        return Instance.create(runId, id, workflow, version, Map.of("order", id), Map.of(), CREATED_AT);
    }

    /**
     * Return a new instance in the given status with revision 0, ready to be created.
     * @param status the status
     * @param runId the run id
     * @param id the business id
     * @param workflow the workflow name
     * @param version the workflow version, positive
     * @return the instance
     */
    public static Instance of(Status status, String runId, String id, String workflow, int version) {
        return withStatus(pending(runId, id, workflow, version), status);
    }

    /**
     * Return a copy of an instance in another status, keeping its revision.
     * @param instance the instance
     * @param status the new status
     * @return the copy
     */
    public static Instance withStatus(Instance instance, Status status) {
        return new Instance(instance.runId(), instance.id(), instance.workflow(), instance.workflowVersion(), status,
                instance.context(), instance.activeSteps(), instance.completedSteps(), instance.skippedSteps(),
                instance.arrivals(), instance.stepConfigs(), instance.waitingSteps(), instance.timers(),
                instance.attempts(), instance.queuedEvents(), instance.runtimeMetadata(), instance.history(), instance.failures(),
                instance.telemetryMetadata(), instance.traceContext(), instance.createdAt(), UPDATED_AT, instance.revision());
    }

    /**
     * Return a copy of an instance with other runtime metadata, keeping its revision.
     * @param instance the instance
     * @param runtimeMetadata the new runtime metadata, JSON-safe
     * @return the copy
     */
    public static Instance withMetadata(Instance instance, Map<String, Object> runtimeMetadata) {
        return new Instance(instance.runId(), instance.id(), instance.workflow(), instance.workflowVersion(),
                instance.status(), instance.context(), instance.activeSteps(), instance.completedSteps(),
                instance.skippedSteps(), instance.arrivals(), instance.stepConfigs(), instance.waitingSteps(),
                instance.timers(), instance.attempts(), instance.queuedEvents(), runtimeMetadata, instance.history(), instance.failures(),
                instance.telemetryMetadata(), instance.traceContext(), instance.createdAt(), UPDATED_AT, instance.revision());
    }

    /**
     * Return a copy of an instance with another business id, workflow and version, keeping the rest.
     * @param instance the instance
     * @param id the business id
     * @param workflow the workflow name
     * @param version the workflow version, positive
     * @return the copy
     */
    public static Instance withIdentity(Instance instance, String id, String workflow, int version) {
        return new Instance(instance.runId(), id, workflow, version, instance.status(), instance.context(),
                instance.activeSteps(), instance.completedSteps(), instance.skippedSteps(), instance.arrivals(),
                instance.stepConfigs(), instance.waitingSteps(), instance.timers(), instance.attempts(),
                instance.queuedEvents(), instance.runtimeMetadata(), instance.history(), instance.failures(), instance.telemetryMetadata(),
                instance.traceContext(), instance.createdAt(), UPDATED_AT, instance.revision());
    }

    /**
     * Return a pending instance started with a trace context.
     * @param runId the run id
     * @param id the business id
     * @param workflow the workflow name
     * @param traceContext the propagation fields
     * @return the instance
     */
    public static Instance tracedPending(String runId, String id, String workflow, Map<String, String> traceContext) {
        return Instance.create(runId, id, workflow, 1, Map.of(), Map.of(), traceContext, CREATED_AT);
    }
}
