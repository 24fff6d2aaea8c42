package io.hephaestus.core.telemetry;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted after each engine advance of an instance.
 *
 * <p>Measurements: {@code duration}, {@code active_steps_count}, {@code completed_in_advance}.
 * Metadata: {@code status_before}, {@code status_after}, {@code iteration}.
 *
 * @param scope the instance the event is about
 * @param duration the time the advance took, in nanoseconds
 * @param activeStepsCount the number of active steps after the advance
 * @param completedInAdvance the number of steps whose results the advance applied
 * @param statusBefore the lower-case status of the instance before the advance
 * @param statusAfter the lower-case status of the instance after the advance
 * @param iteration the number of this advance since the (last) start, starting at 1
 * @since 0.1.0
 */
public record EngineAdvance(InstanceScope scope, long duration, int activeStepsCount, int completedInAdvance,
        String statusBefore, String statusAfter, int iteration) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param duration the time the advance took, in nanoseconds
     * @param activeStepsCount the number of active steps after the advance
     * @param completedInAdvance the number of steps whose results the advance applied
     * @param statusBefore the lower-case status of the instance before the advance
     * @param statusAfter the lower-case status of the instance after the advance
     * @param iteration the number of this advance since the (last) start, starting at 1
     * @throws NullPointerException if a component is {@code null}
     */
    public EngineAdvance {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(statusBefore, "statusBefore");
        Objects.requireNonNull(statusAfter, "statusAfter");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.ENGINE_ADVANCE;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("duration", this.duration, "active_steps_count", this.activeStepsCount,
                "completed_in_advance", this.completedInAdvance);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "status_before", this.statusBefore, "status_after", this.statusAfter,
                "iteration", this.iteration);
    }
}
