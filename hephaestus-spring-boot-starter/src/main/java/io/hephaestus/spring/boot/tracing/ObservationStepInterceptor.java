package io.hephaestus.spring.boot.tracing;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.core.runtime.StepOutcome;
import io.hephaestus.core.steps.StepResult;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * {@link ObservationStepInterceptor} makes every step execution an {@link Observation} named
 * {@value DefaultStepObservationConvention#NAME}, in scope on the thread that runs the step (so that
 * the step's own instrumented calls are its children), marked with the error when the step fails.
 * While the step runs, the MDC holds {@value #MDC_INSTANCE_ID}, {@value #MDC_WORKFLOW} and
 * {@value #MDC_STEP}. The trace contexts the runner stores and hands back come from the given
 * supplier (see {@link TracingStepContexts}); without one, nothing is captured.
 *
 * @since 0.1.0
 */
public final class ObservationStepInterceptor implements StepInterceptor {

    /** The MDC key of the instance id while a step runs. */
    public static final String MDC_INSTANCE_ID = "hephaestus.instance_id";

    /** The MDC key of the workflow name while a step runs. */
    public static final String MDC_WORKFLOW = "hephaestus.workflow";

    /** The MDC key of the step key while a step runs. */
    public static final String MDC_STEP = "hephaestus.step";

    private static final StepObservationConvention DEFAULT_CONVENTION = new DefaultStepObservationConvention();

    private final ObservationRegistry registry;

    private final @Nullable StepObservationConvention convention;

    private final Supplier<Map<String, String>> contexts;

    /**
     * Create an interceptor that captures no trace context.
     * @param registry the registry observations are made in
     */
    public ObservationStepInterceptor(ObservationRegistry registry) {
        this(registry, null, Map::of);
    }

    /**
     * Create an interceptor.
     * @param registry the registry observations are made in
     * @param convention the convention to use instead of {@link DefaultStepObservationConvention}, or
     *        {@code null} for the default
     * @param contexts captures the propagation fields of the current trace context (empty for none)
     */
    public ObservationStepInterceptor(ObservationRegistry registry, @Nullable StepObservationConvention convention,
            Supplier<Map<String, String>> contexts) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
        this.contexts = Objects.requireNonNull(contexts, "contexts");
    }

    @Override
    public Map<String, String> currentContext() {
        return this.contexts.get();
    }

    @Override
    public StepOutcome intercept(StepExecution execution, Invocation invocation) {
        MDC.put(MDC_INSTANCE_ID, execution.instanceId());
        MDC.put(MDC_WORKFLOW, execution.workflow());
        MDC.put(MDC_STEP, execution.stepKey());
        Observation observation = Observation.createNotStarted(this.convention, DEFAULT_CONVENTION,
                () -> new StepObservationContext(execution), this.registry);
        observation.start();
        try {
            StepOutcome outcome;
            try (Observation.Scope scope = observation.openScope()) {
                outcome = invocation.proceed();
            }
            if (observation.getContext() instanceof StepObservationContext context) {
                context.setOutcome(outcome);
            }
            Throwable error = errorOf(outcome);
            if (error != null) {
                observation.error(error);
            }
            return outcome;
        }
        finally {
            observation.stop();
            MDC.remove(MDC_INSTANCE_ID);
            MDC.remove(MDC_WORKFLOW);
            MDC.remove(MDC_STEP);
        }
    }

    private static @Nullable Throwable errorOf(StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Threw threw) {
            return threw.cause();
        }
        if (((StepOutcome.Returned) outcome).result() instanceof StepResult.Failed failed) {
            return new StepFailedException(failed.reason());
        }
        return null;
    }

    /**
     * The error recorded on the observation of a step that returned a failure instead of throwing.
     */
    static final class StepFailedException extends RuntimeException {

        StepFailedException(String reason) {
            super(reason, null, false, false);
        }
    }
}
