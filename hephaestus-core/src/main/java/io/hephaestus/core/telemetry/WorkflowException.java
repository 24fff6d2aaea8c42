package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted when a workflow instance fails because one of its steps failed.
 *
 * <p>Measurements: {@code duration}. Metadata: {@code status} (always {@code failed}),
 * {@code failed_step}, {@code kind}, {@code reason}, {@code stacktrace}, {@code step_count},
 * {@code advance_count}, {@code runner}.
 *
 * @param scope the instance the event is about
 * @param duration the time from the (last) start of the instance to its failure, in nanoseconds
 * @param failedStep the key of the step that failed
 * @param failedStepName the display name of the step that failed, for log lines
 * @param kind how the step failed
 * @param reason the failure's message
 * @param stacktrace the frames of the exception the step threw, empty when the step returned a
 * failure
 * @param stepCount the number of steps of the instance that completed before it failed
 * @param advanceCount the number of engine advances since the (last) start
 * @param runner the name of the runner type running the instance
 * @since 0.1.0
 */
public record WorkflowException(InstanceScope scope, long duration, String failedStep, String failedStepName,
        FailureKind kind,
        String reason, List<String> stacktrace, int stepCount, int advanceCount, String runner)
        implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param duration the time from the (last) start of the instance to its failure, in nanoseconds
     * @param failedStep the key of the step that failed
     * @param failedStepName the display name of the step that failed, for log lines
     * @param kind how the step failed
     * @param reason the failure's message
     * @param stacktrace the frames of the exception the step threw, empty when the step returned a
     * failure
     * @param stepCount the number of steps of the instance that completed before it failed
     * @param advanceCount the number of engine advances since the (last) start
     * @param runner the name of the runner type running the instance
     * @throws NullPointerException if a component or a list element is {@code null}
     */
    public WorkflowException {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(failedStep, "failedStep");
        Objects.requireNonNull(failedStepName, "failedStepName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        stacktrace = List.copyOf(Objects.requireNonNull(stacktrace, "stacktrace"));
        Objects.requireNonNull(runner, "runner");
    }

    /**
     * Create the event for a step whose display name is its key.
     * @param scope the instance the event is about
     * @param duration the time from the (last) start of the instance to its failure, in nanoseconds
     * @param failedStep the key of the step that failed, also used as its name
     * @param kind how the step failed
     * @param reason the failure's message
     * @param stacktrace the frames of the exception the step threw, empty when the step returned a
     * failure
     * @param stepCount the number of steps of the instance that completed before it failed
     * @param advanceCount the number of engine advances since the (last) start
     * @param runner the name of the runner type running the instance
     */
    public WorkflowException(InstanceScope scope, long duration, String failedStep, FailureKind kind, String reason,
            List<String> stacktrace, int stepCount, int advanceCount, String runner) {
        this(scope, duration, failedStep, failedStep, kind, reason, stacktrace, stepCount, advanceCount, runner);
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.WORKFLOW_EXCEPTION;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("duration", this.duration);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "status", "failed", "failed_step", this.failedStep, "kind",
                this.kind.value(), "reason", this.reason, "stacktrace", this.stacktrace, "step_count", this.stepCount,
                "advance_count", this.advanceCount, "runner", this.runner);
    }
}
