package io.hephaestus.core.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link StepInterceptor} wraps every execution of a step, so that an integration (tracing, log
 * correlation) can put something in scope on the thread that runs it; and it captures the caller's
 * trace context when an instance starts, which the runner stores with the instance
 * ({@link io.hephaestus.core.engine.Instance#traceContext()}) so that work resumed days later can
 * refer to it. The core knows nothing about tracing: it only keeps the string fields and says why a
 * step runs ({@link StepTrigger}).
 *
 * <p><strong>Threading.</strong> {@link #intercept} runs on the thread that runs the step, and must
 * call {@link Invocation#proceed()} exactly once on that thread. Interceptors are called for every
 * step, so they must be cheap and must not block. {@link #currentContext()} runs on the thread that
 * calls {@code start} or {@code resume}, or that dispatches the next step; it must not block either.
 * A runner without an interceptor calls neither and allocates nothing for them. The built-in
 * {@link io.hephaestus.core.steps.Done} step, which does no work, is never intercepted.
 *
 * @since 0.1.0
 */
public interface StepInterceptor {

    /**
     * Return the propagation fields of the trace context current on the calling thread, such as
     * {@code traceparent}: stored with an instance at start, and handed to the steps dispatched from
     * here as their {@link StepExecution#parentContext()}. The default captures nothing.
     * @return the fields, empty when there is no current context
     */
    default Map<String, String> currentContext() {
        return Map.of();
    }

    /**
     * Run one attempt of a step: do what you need around it and call {@code invocation.proceed()},
     * which executes the step and applies its result (the runner's own bookkeeping and telemetry may
     * run inside it). Return what {@code proceed()} returned.
     * @param execution which step, attempt and instance, and why it runs now
     * @param invocation runs the step
     * @return the outcome of the step
     */
    StepOutcome intercept(StepExecution execution, Invocation invocation);

    /**
     * Return one interceptor applying the given ones in order, the first outermost; their captured
     * contexts are merged, a later interceptor's field winning over an earlier one's.
     * @param interceptors the interceptors, in order
     * @return the composite (the single interceptor itself when there is only one)
     * @throws IllegalArgumentException if the list is empty
     */
    static StepInterceptor composite(List<? extends StepInterceptor> interceptors) {
        List<StepInterceptor> all = List.copyOf(interceptors);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("a composite StepInterceptor needs at least one interceptor");
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new StepInterceptor() {

            @Override
            public Map<String, String> currentContext() {
                Map<String, String> merged = new LinkedHashMap<>();
                all.forEach((interceptor) -> merged.putAll(interceptor.currentContext()));
                return merged;
            }

            @Override
            public StepOutcome intercept(StepExecution execution, Invocation invocation) {
                return proceed(0, execution, invocation);
            }

            private StepOutcome proceed(int index, StepExecution execution, Invocation invocation) {
                if (index == all.size()) {
                    return invocation.proceed();
                }
                return all.get(index).intercept(execution, () -> proceed(index + 1, execution, invocation));
            }
        };
    }

    /**
     * {@link Invocation} runs the intercepted step.
     */
    @FunctionalInterface
    interface Invocation {

        /**
         * Execute the step and apply its result. Never throws what the step throws: that is reported
         * as a {@link StepOutcome.Threw}.
         * @return the outcome of the step
         */
        StepOutcome proceed();
    }
}
