package io.hephaestus.core.runtime;

import java.util.Map;
import java.util.Objects;

import io.hephaestus.core.internal.JsonValues;

/**
 * {@link ResumeRequest} asks a {@link Runner} to resume a waiting step of an active instance with
 * an external event.
 *
 * @param workflow the workflow name
 * @param id the business id of the instance
 * @param event the event; the waiting step must declare it
 * @param step the waiting step to resume, or empty to pick the only waiting step that declares the event
 * @param data what the event brings, JSON-safe: stored under the resumed step's key in the context
 * @since 0.1.0
 */
public record ResumeRequest(String workflow, String id, String event, String step, Map<String, Object> data) {

    /**
     * Validate the components.
     */
    public ResumeRequest {
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(step, "step");
        data = JsonValues.freeze(data, "resume data");
    }

    /**
     * Return a request that resumes whichever waiting step declares the event.
     * @param workflow the workflow name
     * @param id the business id
     * @param event the event
     * @return the request
     */
    public static ResumeRequest of(String workflow, String id, String event) {
        return new ResumeRequest(workflow, id, event, "", Map.of());
    }

    /**
     * Return a copy that resumes a named step.
     * @param step the step key
     * @return the request
     */
    public ResumeRequest step(String step) {
        return new ResumeRequest(this.workflow, this.id, this.event, step, this.data);
    }

    /**
     * Return a copy that carries data, stored under the resumed step's key in the context.
     * @param data the data, JSON-safe
     * @return the request
     */
    public ResumeRequest data(Map<String, ?> data) {
        return new ResumeRequest(this.workflow, this.id, this.event, this.step,
                JsonValues.freeze(data, "resume data"));
    }
}
