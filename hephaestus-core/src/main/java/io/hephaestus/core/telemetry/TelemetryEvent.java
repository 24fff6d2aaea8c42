package io.hephaestus.core.telemetry;

import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted by Hephaestus at a significant point of a workflow's or a step's
 * life, as one record per {@link TelemetryEventType}.
 *
 * <p>Records carry typed fields; {@link #measurements()} and {@link #metadata()} expose them as
 * maps keyed by the documented snake_case names, for listeners that want a generic view (loggers,
 * event publishers). The maps are built on each call, never when the event is created, so
 * emitting an event nobody reads them from costs nothing more than the record.
 *
 * <p>Durations and {@code system_time} are {@code long} nanoseconds ({@code system_time} since
 * the Unix epoch); counts are {@code int}; kinds and sources are their lower-case
 * {@code value()}. Dispatch on the type with an {@code instanceof} chain or on {@link #type()}.
 *
 * @since 0.1.0
 */
public sealed interface TelemetryEvent permits WorkflowStart, WorkflowStop, WorkflowException, WorkflowCancel,
        WorkflowTransition, StepStart, StepStop, StepException, StepAsync, StepResume, EngineAdvance, RunnerInit {

    /**
     * Return the type of this event.
     * @return the type
     */
    TelemetryEventType type();

    /**
     * Return the instance this event is about: present for every event but {@link RunnerInit},
     * which is about the runner. A listener that needs the instance id, workflow or version of any
     * event reads them here, without a case per event type.
     * @return the instance scope, or empty for {@link RunnerInit}
     */
    default Optional<InstanceScope> instanceScope() {
        return Optional.ofNullable(Events.scopeOf(this));
    }

    /**
     * Return the dotted event name, such as {@code hephaestus.workflow.start}.
     * @return the event name of {@link #type()}
     */
    default String name() {
        return type().eventName();
    }

    /**
     * Return the numeric measurements of this event, in documented order.
     * @return a fresh, unmodifiable, insertion-ordered map from measurement name to value
     */
    Map<String, Object> measurements();

    /**
     * Return the metadata of this event.
     *
     * <p>The caller's metadata comes first and has the lowest precedence: a caller key equal to a
     * key Hephaestus writes is left out. Then come the event's own fields, then
     * {@code instance_id}, {@code workflow} and {@code workflow_version}.
     * @return a fresh, unmodifiable, insertion-ordered map from field name to value; caller
     * values may be {@code null}
     */
    Map<String, @Nullable Object> metadata();
}
