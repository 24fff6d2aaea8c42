package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.internal.Frozen;

/**
 * {@link TelemetryEvent} emitted when a workflow instance completes.
 *
 * <p>Measurements: {@code duration}, {@code step_count}, {@code advance_count}. Metadata:
 * {@code status} (always {@code completed}), {@code completed_steps}, {@code runner}.
 *
 * @param scope the instance the event is about
 * @param duration the time from the (last) start of the instance to its completion, in
 * nanoseconds
 * @param stepCount the number of steps the instance completed
 * @param advanceCount the number of engine advances since the (last) start
 * @param completedSteps the keys of the completed steps
 * @param runner the name of the runner type running the instance
 * @since 0.1.0
 */
public record WorkflowStop(InstanceScope scope, long duration, int stepCount, int advanceCount,
        List<String> completedSteps, String runner) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param duration the time from the (last) start of the instance to its completion, in
     * nanoseconds
     * @param stepCount the number of steps the instance completed
     * @param advanceCount the number of engine advances since the (last) start
     * @param completedSteps the keys of the completed steps
     * @param runner the name of the runner type running the instance
     * @throws NullPointerException if a component or a list element is {@code null}
     */
    public WorkflowStop {
        Objects.requireNonNull(scope, "scope");
        completedSteps = Frozen.list(Objects.requireNonNull(completedSteps, "completedSteps"));
        Objects.requireNonNull(runner, "runner");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.WORKFLOW_STOP;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("duration", this.duration, "step_count", this.stepCount, "advance_count",
                this.advanceCount);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "status", "completed", "completed_steps", this.completedSteps, "runner",
                this.runner);
    }
}
