package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.internal.Frozen;

/**
 * {@link TelemetryEvent} emitted when a step completes with an event.
 *
 * <p>Measurements: {@code duration}. Metadata: {@code step}, {@code step_key}, {@code event},
 * {@code has_context_updates}, {@code has_metadata_updates}, {@code transitions_to}.
 *
 * @param scope the instance the event is about
 * @param duration the time the step took to execute, in nanoseconds
 * @param step the display name of the step
 * @param stepKey the key of the step in the workflow context
 * @param event the event the step completed with
 * @param hasContextUpdates whether the step returned context updates
 * @param hasMetadataUpdates whether the step returned runtime metadata updates
 * @param transitionsTo the keys of the steps the event leads to
 * @since 0.1.0
 */
public record StepStop(InstanceScope scope, long duration, String step, String stepKey, String event,
        boolean hasContextUpdates, boolean hasMetadataUpdates, List<String> transitionsTo) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param duration the time the step took to execute, in nanoseconds
     * @param step the display name of the step
     * @param stepKey the key of the step in the workflow context
     * @param event the event the step completed with
     * @param hasContextUpdates whether the step returned context updates
     * @param hasMetadataUpdates whether the step returned runtime metadata updates
     * @param transitionsTo the keys of the steps the event leads to
     * @throws NullPointerException if a component or a list element is {@code null}
     */
    public StepStop {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stepKey, "stepKey");
        Objects.requireNonNull(event, "event");
        transitionsTo = Frozen.list(Objects.requireNonNull(transitionsTo, "transitionsTo"));
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.STEP_STOP;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("duration", this.duration);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "step", this.step, "step_key", this.stepKey, "event", this.event,
                "has_context_updates", this.hasContextUpdates, "has_metadata_updates", this.hasMetadataUpdates,
                "transitions_to", this.transitionsTo);
    }
}
