package io.hephaestus.core.engine;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@link Status} is where an instance is in its lifecycle. {@code COMPLETED}, {@code FAILED} and
 * {@code CANCELLED} are terminal and absorbing: nothing moves an instance out of them.
 *
 * @since 0.1.0
 */
public enum Status {

    /** Created and stored; no step has been activated yet. */
    PENDING,

    /** At least one step is executing or ready to execute. */
    RUNNING,

    /** Every active step waits for an external event or a timer; no thread is held. */
    WAITING,

    /** {@code Done} ran and nothing is left to do. */
    COMPLETED,

    /** A step failed for good, or the instance could make no more progress. */
    FAILED,

    /** Stopped on request; its steps and timers were cancelled. */
    CANCELLED;

    private static final Set<Status> ACTIVE = EnumSet.of(PENDING, RUNNING, WAITING);

    private final String value = name().toLowerCase(Locale.ROOT);

    /**
     * Return the lower-case name used in telemetry, JSON and configuration.
     * @return the value, such as {@code running}
     */
    public String value() {
        return this.value;
    }

    /**
     * Return whether an instance in this status still counts for uniqueness and can progress.
     * @return {@code true} for pending, running and waiting
     */
    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    /**
     * Return whether this status is final.
     * @return {@code true} for completed, failed and cancelled
     */
    public boolean isTerminal() {
        return !isActive();
    }

    /**
     * Return whether the engine may move an instance from this status to {@code next}. Staying in
     * the same active status is allowed; leaving a terminal status is not.
     * @param next the target status
     * @return {@code true} if the transition is legal
     */
    public boolean canTransitionTo(Status next) {
        return switch (this) {
            case PENDING -> next == PENDING || next == RUNNING || next == FAILED || next == CANCELLED;
            case RUNNING -> next != PENDING;
            case WAITING -> next == WAITING || next == RUNNING || next == FAILED || next == CANCELLED;
            case COMPLETED, FAILED, CANCELLED -> false;
        };
    }

    /**
     * Return the status with the given value, ignoring case.
     * @param value a value such as {@code waiting}
     * @return the status
     * @throws IllegalArgumentException naming the valid values if there is none
     */
    public static Status parse(String value) {
        for (Status status : values()) {
            if (status.value.equalsIgnoreCase(value.trim())) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status '" + value
                + "'; expected one of pending, running, waiting, completed, failed, cancelled");
    }
}
