package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted when a step fails: it returned a failure, threw, timed out, or
 * returned a result the engine rejected.
 *
 * <p>Measurements: {@code duration}. Metadata: {@code step}, {@code step_key}, {@code kind},
 * {@code reason}, {@code stacktrace}, {@code attempt}, {@code will_retry}.
 *
 * @param scope the instance the event is about
 * @param duration the time the step ran before failing, in nanoseconds
 * @param step the display name of the step
 * @param stepKey the key of the step in the workflow context
 * @param kind how the step failed
 * @param reason the failure's message
 * @param stacktrace the frames of the exception the step threw, empty for other kinds
 * @param attempt the attempt number that failed, starting at 1
 * @param willRetry whether the step will be attempted again
 * @since 0.1.0
 */
public record StepException(InstanceScope scope, long duration, String step, String stepKey, FailureKind kind,
        String reason, List<String> stacktrace, int attempt, boolean willRetry) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param duration the time the step ran before failing, in nanoseconds
     * @param step the display name of the step
     * @param stepKey the key of the step in the workflow context
     * @param kind how the step failed
     * @param reason the failure's message
     * @param stacktrace the frames of the exception the step threw, empty for other kinds
     * @param attempt the attempt number that failed, starting at 1
     * @param willRetry whether the step will be attempted again
     * @throws NullPointerException if a component or a list element is {@code null}
     */
    public StepException {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stepKey, "stepKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        stacktrace = List.copyOf(Objects.requireNonNull(stacktrace, "stacktrace"));
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.STEP_EXCEPTION;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("duration", this.duration);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "step", this.step, "step_key", this.stepKey, "kind", this.kind.value(),
                "reason", this.reason, "stacktrace", this.stacktrace, "attempt", this.attempt, "will_retry",
                this.willRetry);
    }
}
