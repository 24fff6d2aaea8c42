package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * {@link Timer} is a durable resume of a waiting step: at {@code dueAt} the runner resumes the step
 * with {@code event}, unless something resumed it before.
 *
 * @param dueAt when the timer fires
 * @param event the event the step is resumed with
 * @since 0.1.0
 */
public record Timer(Instant dueAt, String event) {

    /**
     * Validate the components.
     */
    public Timer {
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(event, "event");
    }
}
