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
 * @param stackTrace the stack trace of the exception a step threw, bounded (at most
 *        {@link StackTraces#MAX_FRAMES} frames per exception and {@link StackTraces#MAX_CAUSES} causes),
 *        or empty when no exception was thrown
 * @param timestamp when the failure was applied
 * @since 0.1.0
 */
public record Failure(String step, int attempt, FailureKind kind, String reason, String stackTrace,
        Instant timestamp) {

    /**
     * Validate the components.
     */
    public Failure {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(stackTrace, "stackTrace");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * Record a failure without a stack trace.
     * @param step the key of the step that failed
     * @param attempt the attempt number that failed, starting at 1
     * @param kind how it failed
     * @param reason what went wrong, for operators
     * @param timestamp when the failure was applied
     */
    public Failure(String step, int attempt, FailureKind kind, String reason, Instant timestamp) {
        this(step, attempt, kind, reason, "", timestamp);
    }
}
