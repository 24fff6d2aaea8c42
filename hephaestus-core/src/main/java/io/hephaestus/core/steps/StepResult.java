package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.internal.JsonValues;

/**
 * {@link StepResult} says how a {@link Step} finished. The set of outcomes is closed.
 *
 * @since 0.1.0
 */
public sealed interface StepResult {

    /**
     * Return a result that completes the step with {@code event} and no context updates.
     * @param event the event that selects the next transition
     * @return the result
     */
    static Completed completed(String event) {
        return new Completed(event, Map.of(), Map.of());
    }

    /**
     * Return a result that completes the step with {@code event} and stores {@code updates} under
     * the step's key in the context.
     * @param event the event that selects the next transition
     * @param updates the step's results, JSON-safe
     * @return the result
     */
    static Completed completed(String event, Map<String, ?> updates) {
        return new Completed(event, JsonValues.freeze(updates, "context updates"), Map.of());
    }

    /**
     * Return a result that completes the step with context updates and runtime metadata.
     * @param event the event that selects the next transition
     * @param updates the step's results, JSON-safe
     * @param metadata entries merged into the instance's runtime metadata, JSON-safe
     * @return the result
     */
    static Completed completed(String event, Map<String, ?> updates, Map<String, ?> metadata) {
        return new Completed(event, JsonValues.freeze(updates, "context updates"),
                JsonValues.freeze(metadata, "runtime metadata"));
    }

    /**
     * Return a result that parks the step until an external event resumes it.
     * @return the result
     */
    static Async async() {
        return new Async();
    }

    /**
     * Return a result that parks the step until an external event resumes it, or until
     * {@code delay} has passed, when it resumes with {@code event}.
     * @param delay how long to wait, positive
     * @param event the event the timer resumes the step with
     * @return the result
     */
    static Scheduled resumeAfter(Duration delay, String event) {
        return new Scheduled(delay, event);
    }

    /**
     * Return a result that fails the step (retried if its policy allows, else the instance fails).
     * @param reason what went wrong, for operators
     * @return the result
     */
    static Failed failed(String reason) {
        return new Failed(reason);
    }

    /**
     * The step finished and emits {@code event}.
     *
     * @param event the event that selects the next transition
     * @param updates the step's results, stored under its key in the context (replacing earlier ones)
     * @param metadata entries shallow-merged into the instance's runtime metadata
     */
    record Completed(String event, Map<String, Object> updates, Map<String, Object> metadata) implements StepResult {

        /**
         * Validate and freeze the components.
         */
        public Completed {
            requireEvent(event);
            updates = JsonValues.freeze(updates, "context updates");
            metadata = JsonValues.freeze(metadata, "runtime metadata");
        }
    }

    /**
     * The step waits for an external event; the instance is parked without holding a thread.
     */
    record Async() implements StepResult {
    }

    /**
     * The step waits for an external event, or for a timer that resumes it with {@code event}.
     *
     * @param delay how long until the timer fires
     * @param event the event the timer resumes the step with
     */
    record Scheduled(Duration delay, String event) implements StepResult {

        /**
         * Validate the components.
         */
        public Scheduled {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new InvalidValueException("timer delay must not be negative, got " + delay);
            }
            requireEvent(event);
        }
    }

    /**
     * The step failed for {@code reason}.
     *
     * @param reason what went wrong, for operators
     */
    record Failed(String reason) implements StepResult {

        /**
         * Validate the components.
         */
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static void requireEvent(String event) {
        Objects.requireNonNull(event, "event");
        if (event.isBlank()) {
            throw new InvalidValueException("event must not be blank");
        }
    }
}
