package io.hephaestus.spring.boot.tracing;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepOutcome;
import io.micrometer.observation.Observation;

/**
 * {@link StepObservationContext} is the {@link Observation.Context} of one step execution: the
 * {@link StepExecution} the runner described, and the outcome once the step returned.
 *
 * @since 0.1.0
 */
public class StepObservationContext extends Observation.Context {

    private final StepExecution execution;

    private @Nullable StepOutcome outcome;

    /**
     * Create a context for one step execution.
     * @param execution the execution
     */
    public StepObservationContext(StepExecution execution) {
        this.execution = Objects.requireNonNull(execution, "execution");
    }

    /**
     * Return the step execution being observed.
     * @return the execution
     */
    public StepExecution getExecution() {
        return this.execution;
    }

    /**
     * Return the outcome of the step, once it returned.
     * @return the outcome, or {@code null} while the step runs
     */
    public @Nullable StepOutcome getOutcome() {
        return this.outcome;
    }

    /**
     * Set the outcome of the step.
     * @param outcome the outcome
     */
    public void setOutcome(StepOutcome outcome) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }
}
