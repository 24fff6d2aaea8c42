package io.hephaestus.core.telemetry;

import java.util.Objects;
import java.util.Optional;

/**
 * {@link TelemetryEvent} types, each with the dotted event name that identifies it to listeners,
 * loggers and metric reporters.
 *
 * <p>Event names are public API and never change; new types may be added in later versions. The
 * order of the constants is stable within a version and is the order of
 * {@link TelemetryEventType#values()}.
 *
 * @since 0.1.0
 */
public enum TelemetryEventType {

    /** A workflow instance started running, for the first time or after a recovery. */
    WORKFLOW_START("hephaestus.workflow.start"),

    /** A workflow instance completed. */
    WORKFLOW_STOP("hephaestus.workflow.stop"),

    /** A workflow instance failed because one of its steps failed. */
    WORKFLOW_EXCEPTION("hephaestus.workflow.exception"),

    /** A running or waiting workflow instance was cancelled. */
    WORKFLOW_CANCEL("hephaestus.workflow.cancel"),

    /** The engine activated the next steps after a step completed. */
    WORKFLOW_TRANSITION("hephaestus.workflow.transition"),

    /** A step is about to execute. */
    STEP_START("hephaestus.step.start"),

    /** A step completed with an event. */
    STEP_STOP("hephaestus.step.stop"),

    /** A step failed, threw, timed out or returned a result the engine rejected. */
    STEP_EXCEPTION("hephaestus.step.exception"),

    /** A step asked to wait for an external event or a timer. */
    STEP_ASYNC("hephaestus.step.async"),

    /** A waiting step resumed, on an external event or a timeout. */
    STEP_RESUME("hephaestus.step.resume"),

    /** The engine advanced an instance by one tick. */
    ENGINE_ADVANCE("hephaestus.engine.advance"),

    /** A runner finished initialising. */
    RUNNER_INIT("hephaestus.runner.init");

    private final String eventName;

    TelemetryEventType(String eventName) {
        this.eventName = eventName;
    }

    /**
     * Return the dotted event name, such as {@code hephaestus.workflow.start}.
     * @return the event name
     */
    public String eventName() {
        return this.eventName;
    }

    /**
     * Return the type with the given dotted event name.
     * @param name an event name, such as {@code hephaestus.step.stop}
     * @return the matching type, or empty if no type has that name
     */
    public static Optional<TelemetryEventType> fromEventName(String name) {
        Objects.requireNonNull(name, "name");
        for (TelemetryEventType type : values()) {
            if (type.eventName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
