package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.internal.Frozen;

/**
 * {@link TelemetryEvent} emitted when a running or waiting workflow instance is cancelled.
 *
 * <p>Measurements: {@code duration}. Metadata: {@code status} (always {@code cancelled}),
 * {@code active_steps}, {@code runner}.
 *
 * @param scope the instance the event is about
 * @param duration the time from the (last) start of the instance to its cancellation, in
 * nanoseconds
 * @param activeSteps the keys of the steps that were active when the instance was cancelled
 * @param runner the name of the runner type running the instance
 * @since 0.1.0
 */
public record WorkflowCancel(InstanceScope scope, long duration, List<String> activeSteps, String runner)
        implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param duration the time from the (last) start of the instance to its cancellation, in
     * nanoseconds
     * @param activeSteps the keys of the steps that were active when the instance was cancelled
     * @param runner the name of the runner type running the instance
     * @throws NullPointerException if a component or a list element is {@code null}
     */
    public WorkflowCancel {
        Objects.requireNonNull(scope, "scope");
        activeSteps = Frozen.list(Objects.requireNonNull(activeSteps, "activeSteps"));
        Objects.requireNonNull(runner, "runner");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.WORKFLOW_CANCEL;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("duration", this.duration);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "status", "cancelled", "active_steps", this.activeSteps, "runner",
                this.runner);
    }
}
