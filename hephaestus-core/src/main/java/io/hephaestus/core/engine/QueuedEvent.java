package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.internal.JsonValues;

/**
 * {@link QueuedEvent} is an external event that arrived before a step was waiting for it. It is kept
 * with the instance (so a durable storage keeps it across restarts) and delivered, first in first
 * out, as soon as a step that accepts it starts waiting. An instance that finishes with queued events
 * records them in its history as {@link ExecutionEntry.Kind#UNCONSUMED unconsumed}.
 *
 * @param event the event
 * @param step the step the sender named, or empty for whichever step accepts the event first
 * @param data what the event brings, JSON-safe: stored under the resumed step's key on delivery
 * @param receivedAt when the event was accepted
 * @since 0.1.0
 */
public record QueuedEvent(String event, String step, Map<String, Object> data, Instant receivedAt) {

    /**
     * Validate and freeze the components.
     */
    public QueuedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(step, "step");
        data = JsonValues.freeze(data, "event data");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /**
     * Return whether this event is for {@code stepKey}: it names that step or no step.
     * @param stepKey a step key
     * @return {@code true} if the event may be delivered to the step
     */
    public boolean isFor(String stepKey) {
        return this.step.isEmpty() || this.step.equals(stepKey);
    }
}
