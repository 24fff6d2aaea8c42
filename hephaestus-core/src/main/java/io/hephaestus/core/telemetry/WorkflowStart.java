package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.internal.Frozen;

/**
 * {@link TelemetryEvent} emitted when a workflow instance starts running: when it is created, and
 * again each time a runner recovers it.
 *
 * <p>Measurements: {@code system_time}. Metadata: {@code initial_step}, {@code context_keys},
 * {@code runner}, {@code recovered}.
 *
 * @param scope the instance the event is about
 * @param systemTime the wall-clock time of the start, in nanoseconds since the Unix epoch
 * @param initialStep the key of the step the workflow starts with
 * @param contextKeys the keys of the initial context
 * @param runner the name of the runner type running the instance
 * @param recovered whether the instance was recovered rather than newly started
 * @since 0.1.0
 */
public record WorkflowStart(InstanceScope scope, long systemTime, String initialStep, List<String> contextKeys,
        String runner, boolean recovered) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param systemTime the wall-clock time of the start, in nanoseconds since the Unix epoch
     * @param initialStep the key of the step the workflow starts with
     * @param contextKeys the keys of the initial context
     * @param runner the name of the runner type running the instance
     * @param recovered whether the instance was recovered rather than newly started
     * @throws NullPointerException if a component or a list element is {@code null}
     */
    public WorkflowStart {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(initialStep, "initialStep");
        contextKeys = Frozen.list(Objects.requireNonNull(contextKeys, "contextKeys"));
        Objects.requireNonNull(runner, "runner");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.WORKFLOW_START;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("system_time", this.systemTime);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "initial_step", this.initialStep, "context_keys", this.contextKeys,
                "runner", this.runner, "recovered", this.recovered);
    }
}
