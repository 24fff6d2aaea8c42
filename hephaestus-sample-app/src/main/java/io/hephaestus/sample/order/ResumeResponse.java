package io.hephaestus.sample.order;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.hephaestus.core.runtime.ResumeResult;

/**
 * How the REST API answers an event: the order, with whether the event was queued.
 *
 * @param queued {@code true} if no step was waiting for the event yet and it is kept with the order
 * (in {@code queuedEvents}) until the step that takes it waits; {@code false} if a waiting step took
 * it
 * @param order the order after the event, its members written inline
 */
@JsonPropertyOrder({ "queued" })
record ResumeResponse(boolean queued, @JsonUnwrapped OrderResponse order) {

    static ResumeResponse of(ResumeResult result) {
        return new ResumeResponse(result.isQueued(), OrderResponse.of(result.instance()));
    }
}
