package io.hephaestus.core.telemetry;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The instance-scoped part shared by every {@link TelemetryEvent} except {@link RunnerInit}: which
 * instance of which workflow the event is about, and the caller's telemetry metadata.
 *
 * <p>{@code callerMetadata} is stored as given, not copied, because the instance already holds it
 * validated as JSON-safe and frozen; the caller must pass an unmodifiable map. Its iteration
 * order is the order in which it appears in {@link TelemetryEvent#metadata()}.
 *
 * @param instanceId the identifier of the workflow instance
 * @param workflow the name of the workflow the instance runs
 * @param workflowVersion the version of the workflow the instance runs
 * @param callerMetadata the caller's telemetry metadata, merged with the lowest precedence into
 * every event's metadata; unmodifiable, values may be JSON {@code null}
 * @since 0.1.0
 */
public record InstanceScope(String instanceId, String workflow, int workflowVersion,
        Map<String, @Nullable Object> callerMetadata) {

    /**
     * Create a scope.
     * @param instanceId the identifier of the workflow instance
     * @param workflow the name of the workflow the instance runs
     * @param workflowVersion the version of the workflow the instance runs
     * @param callerMetadata the caller's telemetry metadata, merged with the lowest precedence into
     * every event's metadata; unmodifiable, values may be JSON {@code null}
     * @throws NullPointerException if a component is {@code null}
     */
    public InstanceScope {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(callerMetadata, "callerMetadata");
    }

    /**
     * Return a scope without caller metadata.
     * @param instanceId the identifier of the workflow instance
     * @param workflow the name of the workflow the instance runs
     * @param workflowVersion the version of the workflow the instance runs
     * @return the scope
     */
    public static InstanceScope of(String instanceId, String workflow, int workflowVersion) {
        return new InstanceScope(instanceId, workflow, workflowVersion, Map.of());
    }
}
