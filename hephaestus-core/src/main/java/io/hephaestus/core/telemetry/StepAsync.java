package io.hephaestus.core.telemetry;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted when a step asks to wait for an external event or a timer.
 *
 * <p>Measurements: {@code duration}. Metadata: {@code step}, {@code step_key},
 * {@code instance_status}.
 *
 * @param scope the instance the event is about
 * @param duration the time the step ran before asking to wait, in nanoseconds
 * @param step the display name of the step
 * @param stepKey the key of the step in the workflow context
 * @param instanceStatus the lower-case status of the instance afterwards, normally
 * {@code waiting}
 * @since 0.1.0
 */
public record StepAsync(InstanceScope scope, long duration, String step, String stepKey, String instanceStatus)
        implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param duration the time the step ran before asking to wait, in nanoseconds
     * @param step the display name of the step
     * @param stepKey the key of the step in the workflow context
     * @param instanceStatus the lower-case status of the instance afterwards, normally
     * {@code waiting}
     * @throws NullPointerException if a component is {@code null}
     */
    public StepAsync {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stepKey, "stepKey");
        Objects.requireNonNull(instanceStatus, "instanceStatus");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.STEP_ASYNC;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("duration", this.duration);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "step", this.step, "step_key", this.stepKey, "instance_status",
                this.instanceStatus);
    }
}
