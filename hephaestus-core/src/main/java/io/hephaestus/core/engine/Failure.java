package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.Objects;

import io.hephaestus.core.telemetry.FailureKind;

/**
 * {@link Failure} records one failed attempt of a step, or the reason an instance failed.
 *
 * @param step the key of the step that failed
 * @param attempt the attempt number that failed, starting at 1
 * @param kind how it failed
 * @param reason what went wrong, for operators
 * @param timestamp when the failure was applied
 * @since 0.1.0
 */
public record Failure(String step, int attempt, FailureKind kind, String reason, Instant timestamp) {

    /**
     * Validate the components.
     */
    public Failure {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
