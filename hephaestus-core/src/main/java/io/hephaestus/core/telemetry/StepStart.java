package io.hephaestus.core.telemetry;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted just before a step executes.
 *
 * <p>Measurements: {@code system_time}. Metadata: {@code step}, {@code step_key},
 * {@code concurrent}, {@code active_steps_count}, {@code attempt}.
 *
 * @param scope the instance the event is about
 * @param systemTime the wall-clock time of the start, in nanoseconds since the Unix epoch
 * @param step the display name of the step
 * @param stepKey the key of the step in the workflow context
 * @param concurrent whether other steps of the instance execute at the same time
 * @param activeStepsCount the number of steps of the instance executing in this batch
 * @param attempt the attempt number, starting at 1
 * @since 0.1.0
 */
public record StepStart(InstanceScope scope, long systemTime, String step, String stepKey, boolean concurrent,
        int activeStepsCount, int attempt) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param systemTime the wall-clock time of the start, in nanoseconds since the Unix epoch
     * @param step the display name of the step
     * @param stepKey the key of the step in the workflow context
     * @param concurrent whether other steps of the instance execute at the same time
     * @param activeStepsCount the number of steps of the instance executing in this batch
     * @param attempt the attempt number, starting at 1
     * @throws NullPointerException if a component is {@code null}
     */
    public StepStart {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stepKey, "stepKey");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.STEP_START;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("system_time", this.systemTime);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "step", this.step, "step_key", this.stepKey, "concurrent",
                this.concurrent, "active_steps_count", this.activeStepsCount, "attempt", this.attempt);
    }
}
