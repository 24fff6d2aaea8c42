package io.hephaestus.core.runtime;

import java.util.Objects;

import io.hephaestus.core.steps.StepResult;

/**
 * {@link StepOutcome} is what one execution of a step gave back, as a {@link StepInterceptor} sees
 * it: the step returned a result, or it threw.
 *
 * @since 0.1.0
 */
public sealed interface StepOutcome {

    /**
     * Return the outcome of an execution that returned a result.
     * @param result the result
     * @return the outcome
     */
    static StepOutcome of(StepResult result) {
        return new Returned(result);
    }

    /**
     * Return the outcome of an execution that threw.
     * @param cause what it threw
     * @return the outcome
     */
    static StepOutcome of(Throwable cause) {
        return new Threw(cause);
    }

    /**
     * The step returned a result (which may itself be a {@link StepResult.Failed failure}).
     * @param result the result
     */
    record Returned(StepResult result) implements StepOutcome {

        /**
         * Validate the result.
         */
        public Returned {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The step threw (or returned {@code null}, reported as a {@link NullPointerException}).
     * @param cause what it threw
     */
    record Threw(Throwable cause) implements StepOutcome {

        /**
         * Validate the cause.
         */
        public Threw {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
