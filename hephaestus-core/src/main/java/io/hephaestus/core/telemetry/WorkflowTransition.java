package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.internal.Frozen;

/**
 * {@link TelemetryEvent} emitted when the engine activates the next steps after a step completed
 * with an event, including when the event activates nothing.
 *
 * <p>Measurements: {@code system_time}, {@code targets_count}. Metadata: {@code from_step},
 * {@code event}, {@code targets}, {@code fan_out} (whether more than one target was activated).
 *
 * @param scope the instance the event is about
 * @param systemTime the wall-clock time of the transition, in nanoseconds since the Unix epoch
 * @param fromStep the key of the step that completed
 * @param fromStepName the display name of the step that completed, for log lines
 * @param event the event the step completed with
 * @param targets the keys of the steps the transition activated
 * @param targetNames the display names of the steps the transition activated, in the same order
 * @since 0.1.0
 */
public record WorkflowTransition(InstanceScope scope, long systemTime, String fromStep, String fromStepName,
        String event, List<String> targets, List<String> targetNames) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param systemTime the wall-clock time of the transition, in nanoseconds since the Unix epoch
     * @param fromStep the key of the step that completed
     * @param fromStepName the display name of the step that completed, for log lines
     * @param event the event the step completed with
     * @param targets the keys of the steps the transition activated
     * @param targetNames the display names of the steps the transition activated, in the same order
     * @throws NullPointerException if a component or a list element is {@code null}
     */
    public WorkflowTransition {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(fromStep, "fromStep");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(fromStepName, "fromStepName");
        targets = Frozen.list(Objects.requireNonNull(targets, "targets"));
        targetNames = Frozen.list(Objects.requireNonNull(targetNames, "targetNames"));
        if (targetNames.size() != targets.size()) {
            throw new IllegalArgumentException("targetNames must name every target: " + targetNames + " for " + targets);
        }
    }

    /**
     * Create the event for steps whose display names are their keys.
     * @param scope the instance the event is about
     * @param systemTime the wall-clock time of the transition, in nanoseconds since the Unix epoch
     * @param fromStep the key of the step that completed, also used as its name
     * @param event the event the step completed with
     * @param targets the keys of the steps the transition activated, also used as their names
     */
    public WorkflowTransition(InstanceScope scope, long systemTime, String fromStep, String event,
            List<String> targets) {
        this(scope, systemTime, fromStep, fromStep, event, targets, targets);
    }

    /**
     * Return whether the transition activated more than one step.
     * @return {@code true} for a fan-out
     */
    public boolean fanOut() {
        return this.targets.size() > 1;
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.WORKFLOW_TRANSITION;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("system_time", this.systemTime, "targets_count", this.targets.size());
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "from_step", this.fromStep, "event", this.event, "targets", this.targets,
                "fan_out", fanOut());
    }
}
