package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.internal.JsonValues;

/**
 * {@link ExecutionEntry} is one line of an instance's audit trail: a step that completed, with the
 * event it emitted and the results it stored; or an event or result the instance did not use.
 *
 * @param step the step key (for an unconsumed event: the step it named, or empty)
 * @param event the event the step emitted, was resumed with, or that was left unconsumed
 * @param kind what the entry records
 * @param timestamp when the completion was applied, or when the event or result was set aside
 * @param contextUpdates what the step stored in the context (for an unconsumed event: its data; for an
 *        ignored result: what the step would have stored)
 * @since 0.1.0
 */
public record ExecutionEntry(String step, String event, Kind kind, Instant timestamp,
        Map<String, Object> contextUpdates) {

    /**
     * Validate and freeze the components.
     */
    public ExecutionEntry {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timestamp, "timestamp");
        contextUpdates = JsonValues.freeze(contextUpdates, "context updates");
    }

    /**
     * Record a completed step.
     * @param step the step key
     * @param event the event it emitted or was resumed with
     * @param timestamp when the completion was applied
     * @param contextUpdates what the step stored in the context
     */
    public ExecutionEntry(String step, String event, Instant timestamp, Map<String, Object> contextUpdates) {
        this(step, event, Kind.COMPLETED, timestamp, contextUpdates);
    }

    /**
     * {@link Kind} tells what an {@link ExecutionEntry} records.
     *
     * @since 0.1.0
     */
    public enum Kind {

        /** A step completed and its transition was applied (or, after its instance failed, its result was kept). */
        COMPLETED,

        /** An external event was queued and the instance finished before any step took it. */
        UNCONSUMED,

        /** A step's result arrived after its instance was cancelled; it was recorded, not applied. */
        IGNORED
    }
}
