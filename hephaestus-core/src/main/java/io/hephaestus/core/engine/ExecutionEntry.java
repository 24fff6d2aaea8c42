package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.internal.JsonValues;

/**
 * {@link ExecutionEntry} is one line of an instance's audit trail: a step that completed, with the
 * event it emitted and the results it stored.
 *
 * @param step the step key
 * @param event the event the step emitted (or was resumed with)
 * @param timestamp when the completion was applied
 * @param contextUpdates what the step stored in the context
 * @since 0.1.0
 */
public record ExecutionEntry(String step, String event, Instant timestamp, Map<String, Object> contextUpdates) {

    /**
     * Validate and freeze the components.
     */
    public ExecutionEntry {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(timestamp, "timestamp");
        contextUpdates = JsonValues.freeze(contextUpdates, "context updates");
    }
}
