package io.hephaestus.core.runtime;

import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.internal.JsonValues;

/**
 * {@link StartRequest} asks a {@link Runner} to start a workflow instance.
 *
 * <pre>{@code
 * runner.start(StartRequest.of("order", "42")
 *     .context(Map.of("items", 3))
 *     .telemetryMetadata(Map.of("request_id", "req-1"))
 *     .onConflict(ConflictPolicy.RETURN_EXISTING));
 * }</pre>
 *
 * @param workflow the workflow name
 * @param businessValue the business value; the instance id is {@code <key>::<value>}
 * @param context the initial context data, JSON-safe
 * @param version the workflow version to run, or 0 for the current one
 * @param telemetryMetadata caller metadata merged into every telemetry event of the instance, JSON-safe
 * @param onConflict what to do when an active instance already holds the id
 * @since 0.1.0
 */
public record StartRequest(String workflow, String businessValue, Map<String, Object> context, int version,
        Map<String, Object> telemetryMetadata, ConflictPolicy onConflict) {

    /**
     * Validate and freeze the components.
     */
    public StartRequest {
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(businessValue, "businessValue");
        context = JsonValues.freeze(context, "initial context");
        if (version < 0) {
            throw new InvalidValueException("version must be positive (or 0 for the current version), got " + version);
        }
        telemetryMetadata = JsonValues.freeze(telemetryMetadata, "telemetry metadata");
        Objects.requireNonNull(onConflict, "onConflict");
    }

    /**
     * Return a request to start the current version with an empty context.
     * @param workflow the workflow name
     * @param businessValue the business value
     * @return the request
     */
    public static StartRequest of(String workflow, String businessValue) {
        return new StartRequest(workflow, businessValue, Map.of(), 0, Map.of(), ConflictPolicy.REJECT);
    }

    /**
     * Return a copy with the given initial context.
     * @param context the initial context data, JSON-safe
     * @return the request
     */
    public StartRequest context(Map<String, ?> context) {
        return new StartRequest(this.workflow, this.businessValue, JsonValues.freeze(context, "initial context"),
                this.version, this.telemetryMetadata, this.onConflict);
    }

    /**
     * Return a copy that runs a specific version instead of the current one.
     * @param version the version
     * @return the request
     */
    public StartRequest version(int version) {
        return new StartRequest(this.workflow, this.businessValue, this.context, version, this.telemetryMetadata,
                this.onConflict);
    }

    /**
     * Return a copy with caller metadata for telemetry.
     * @param metadata the metadata, JSON-safe; it never overrides Hephaestus's own keys
     * @return the request
     */
    public StartRequest telemetryMetadata(Map<String, ?> metadata) {
        return new StartRequest(this.workflow, this.businessValue, this.context, this.version,
                JsonValues.freeze(metadata, "telemetry metadata"), this.onConflict);
    }

    /**
     * Return a copy with another conflict policy.
     * @param policy what to do when an active instance already holds the id
     * @return the request
     */
    public StartRequest onConflict(ConflictPolicy policy) {
        return new StartRequest(this.workflow, this.businessValue, this.context, this.version, this.telemetryMetadata,
                policy);
    }
}
