package io.hephaestus.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.core.runtime.StepOutcome;

/**
 * Calls a {@link StepInterceptor} for the runners so that a faulty interceptor never loses a step:
 * if it throws before it proceeded, or returns without proceeding, the step runs anyway; if it
 * throws after, the step's outcome stands. Either way the fault is logged.
 */
public final class StepInvocations {

    private static final Logger logger = LoggerFactory.getLogger(StepInvocations.class);

    private StepInvocations() {
    }

    /**
     * Run {@code step} through {@code interceptor}, exactly once.
     * @param interceptor the interceptor
     * @param execution what runs
     * @param step executes the step (and, for a runner that wants it, applies its result)
     * @return the step's outcome
     */
    public static StepOutcome intercept(StepInterceptor interceptor, StepExecution execution,
            StepInterceptor.Invocation step) {
        Once once = new Once(step);
        try {
            interceptor.intercept(execution, once);
        }
        catch (RuntimeException ex) {
            logger.error("Step interceptor {} failed around step {} of instance {}", interceptor, execution.stepKey(),
                    execution.instanceId(), ex);
        }
        if (once.outcome == null) {
            logger.error("Step interceptor {} did not proceed with step {} of instance {}; running it without",
                    interceptor, execution.stepKey(), execution.instanceId());
            return once.proceed();
        }
        return once.outcome;
    }

    /**
     * Lets the step run once, and remembers its outcome.
     */
    private static final class Once implements StepInterceptor.Invocation {

        private final StepInterceptor.Invocation step;

        private StepOutcome outcome;

        Once(StepInterceptor.Invocation step) {
            this.step = step;
        }

        @Override
        public StepOutcome proceed() {
            if (this.outcome != null) {
                throw new IllegalStateException("a step interceptor proceeded twice with the same step");
            }
            this.outcome = this.step.proceed();
            return this.outcome;
        }
    }
}
