package io.hephaestus.spring.boot.tracing;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepOutcome;
import io.hephaestus.core.steps.StepResult;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * {@link DefaultStepObservationConvention} names every step observation
 * {@value #NAME}, with low-cardinality key values {@code workflow}, {@code step} (the step key) and
 * {@code outcome} ({@code completed}, {@code failed} or {@code async}), and high-cardinality key
 * values {@code instance.id}, {@code attempt} and {@code trigger} (why the step ran: {@code start},
 * {@code next}, {@code event}, {@code timer}, {@code retry} or {@code recovery}). The contextual
 * name (the span name) is {@code <workflow> <step>}.
 *
 * @since 0.1.0
 */
public class DefaultStepObservationConvention implements StepObservationConvention {

    /** The name of step observations. */
    public static final String NAME = "hephaestus.step";

    /** The low-cardinality key of the workflow name. */
    public static final String WORKFLOW = "workflow";

    /** The low-cardinality key of the step key. */
    public static final String STEP = "step";

    /** The low-cardinality key of the outcome. */
    public static final String OUTCOME = "outcome";

    /** The high-cardinality key of the instance id. */
    public static final String INSTANCE_ID = "instance.id";

    /** The high-cardinality key of the attempt number. */
    public static final String ATTEMPT = "attempt";

    /** The high-cardinality key of the trigger. */
    public static final String TRIGGER = "trigger";

    /** The outcome of a step that completed with an event. */
    public static final String COMPLETED = "completed";

    /** The outcome of a step that returned a failure or threw. */
    public static final String FAILED = "failed";

    /** The outcome of a step that waits for an event or a timer. */
    public static final String ASYNC = "async";

    /** The outcome key value while the step has not returned yet. */
    public static final String UNKNOWN = "unknown";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(StepObservationContext context) {
        StepExecution execution = context.getExecution();
        return execution.workflow() + " " + execution.stepKey();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(StepObservationContext context) {
        StepExecution execution = context.getExecution();
        return KeyValues.of(KeyValue.of(WORKFLOW, execution.workflow()), KeyValue.of(STEP, execution.stepKey()),
                KeyValue.of(OUTCOME, outcome(context.getOutcome())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(StepObservationContext context) {
        StepExecution execution = context.getExecution();
        return KeyValues.of(KeyValue.of(INSTANCE_ID, execution.instanceId()),
                KeyValue.of(ATTEMPT, Integer.toString(execution.attempt())),
                KeyValue.of(TRIGGER, execution.trigger().name().toLowerCase(Locale.ROOT)));
    }

    /**
     * Return the outcome key value of a step outcome.
     * @param outcome the outcome, or {@code null} while the step runs
     * @return {@code completed}, {@code failed}, {@code async} or {@code unknown}
     */
    protected static String outcome(@Nullable StepOutcome outcome) {
        if (outcome == null) {
            return UNKNOWN;
        }
        if (outcome instanceof StepOutcome.Threw) {
            return FAILED;
        }
        StepResult result = ((StepOutcome.Returned) outcome).result();
        if (result instanceof StepResult.Completed) {
            return COMPLETED;
        }
        if (result instanceof StepResult.Failed) {
            return FAILED;
        }
        if (result instanceof StepResult.Async || result instanceof StepResult.Scheduled) {
            return ASYNC;
        }
        throw new AssertionError("unhandled step result " + result);
    }
}
