package io.hephaestus.core.runtime;

import java.util.Objects;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.QueuedEvent;

/**
 * {@link ResumeResult} tells what {@link Runner#resume} did with an event: delivered it to a waiting
 * step, or queued it with the instance because the step that takes it was not waiting yet (it is
 * delivered as soon as that step waits, and survives a restart with a durable storage).
 *
 * @since 0.1.0
 */
public sealed interface ResumeResult {

    /**
     * Return the instance after the event was delivered or queued.
     * @return the stored instance
     */
    Instance instance();

    /**
     * Return whether the event was queued rather than delivered.
     * @return {@code true} for {@link Queued}
     */
    default boolean isQueued() {
        return this instanceof Queued;
    }

    /**
     * The event resumed a waiting step; the steps it activated run asynchronously.
     *
     * @param instance the instance after the resume
     */
    record Delivered(Instance instance) implements ResumeResult {

        /**
         * Validate the components.
         */
        public Delivered {
            Objects.requireNonNull(instance, "instance");
        }
    }

    /**
     * No step was waiting for the event yet, but one that has not run yet accepts it: the event is
     * kept with the instance, in {@link Instance#queuedEvents()}.
     *
     * @param instance the instance holding the queued event
     * @param event the queued event
     */
    record Queued(Instance instance, QueuedEvent event) implements ResumeResult {

        /**
         * Validate the components.
         */
        public Queued {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(event, "event");
        }
    }
}
