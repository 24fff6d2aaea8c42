package io.hephaestus.core.telemetry;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted when a waiting step resumes, before the resume is applied.
 *
 * <p>Measurements: {@code system_time}, {@code wait_duration}. Metadata: {@code step},
 * {@code step_key}, {@code resume_event}, {@code source}.
 *
 * @param scope the instance the event is about
 * @param systemTime the wall-clock time of the resume, in nanoseconds since the Unix epoch
 * @param waitDuration the time the step waited, in nanoseconds
 * @param step the display name of the step
 * @param stepKey the key of the step in the workflow context
 * @param resumeEvent the event the step resumes with
 * @param source why the step resumed
 * @since 0.1.0
 */
public record StepResume(InstanceScope scope, long systemTime, long waitDuration, String step, String stepKey,
        String resumeEvent, ResumeSource source) implements TelemetryEvent {

    /**
     * Create the event.
     * @param scope the instance the event is about
     * @param systemTime the wall-clock time of the resume, in nanoseconds since the Unix epoch
     * @param waitDuration the time the step waited, in nanoseconds
     * @param step the display name of the step
     * @param stepKey the key of the step in the workflow context
     * @param resumeEvent the event the step resumes with
     * @param source why the step resumed
     * @throws NullPointerException if a component is {@code null}
     */
    public StepResume {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stepKey, "stepKey");
        Objects.requireNonNull(resumeEvent, "resumeEvent");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.STEP_RESUME;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("system_time", this.systemTime, "wait_duration", this.waitDuration);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.metadata(this.scope, "step", this.step, "step_key", this.stepKey, "resume_event",
                this.resumeEvent, "source", this.source.value());
    }
}
