package io.hephaestus.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.hephaestus.core.telemetry.ResumeSource;

/**
 * {@link Effect} is something the runtime must do after the {@link Engine} computed a new instance:
 * execute a step, arm or disarm a timer, or report a transition. The engine never performs effects
 * itself; the runner persists the instance first and then applies them in order.
 *
 * @since 0.1.0
 */
public sealed interface Effect {

    /**
     * Execute a step, after {@code delay} (zero for a first attempt, the backoff for a retry).
     *
     * @param step the step key
     * @param attempt the attempt number, starting at 1
     * @param delay how long to wait before executing
     */
    record ExecuteStep(String step, int attempt, Duration delay) implements Effect {

        /**
         * Validate the components.
         */
        public ExecuteStep {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(delay, "delay");
        }
    }

    /**
     * Arm the durable timer of a waiting step.
     *
     * @param step the step key
     * @param timer when it fires and with which event
     */
    record ScheduleTimer(String step, Timer timer) implements Effect {

        /**
         * Validate the components.
         */
        public ScheduleTimer {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(timer, "timer");
        }
    }

    /**
     * Disarm the timer of a step that was resumed before it fired.
     *
     * @param step the step key
     */
    record CancelTimer(String step) implements Effect {

        /**
         * Validate the components.
         */
        public CancelTimer {
            Objects.requireNonNull(step, "step");
        }
    }

    /**
     * A completed step's transition was applied: report it.
     *
     * @param from the step key that completed
     * @param event the event it emitted
     * @param targets the steps newly activated by this completion, in activation order
     */
    record Transitioned(String from, String event, List<String> targets) implements Effect {

        /**
         * Validate and copy the components.
         */
        public Transitioned {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(event, "event");
            targets = List.copyOf(targets);
        }
    }

    /**
     * A waiting step was resumed: report it. Comes before the step's {@link Transitioned}.
     *
     * @param step the step key
     * @param event the event it was resumed with
     * @param source whether the event came from outside (at once, or queued earlier) or from its timer
     * @param waitingSince when the step started waiting
     */
    record Resumed(String step, String event, ResumeSource source, Instant waitingSince) implements Effect {

        /**
         * Validate the components.
         */
        public Resumed {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(waitingSince, "waitingSince");
        }
    }

    /**
     * An external event arrived before a step waited for it and was queued with the instance.
     *
     * @param event the queued event
     */
    record Queued(QueuedEvent event) implements Effect {

        /**
         * Validate the components.
         */
        public Queued {
            Objects.requireNonNull(event, "event");
        }
    }
}
