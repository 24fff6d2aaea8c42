package io.hephaestus.spring.boot.tracing;

import java.util.Objects;
import java.util.Set;

import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepTrigger;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;

/**
 * {@link StepTracingObservationHandler} makes the span of a step observation: a child of the
 * context the step was dispatched from when it continues that work (the request that started the
 * workflow, the previous step, the request that delivered an external event), else the root of a
 * new trace; and, when the step resumes work later (an event, a timer, a retry, a recovery), a
 * {@link Link} to the trace the workflow was started in, so that one span is never stretched over
 * the days an instance may wait. It must come before Micrometer Tracing's default handler (Spring
 * Boot orders it first).
 *
 * @since 0.1.0
 */
public final class StepTracingObservationHandler implements TracingObservationHandler<StepObservationContext> {

    private static final Set<StepTrigger> CONTINUING = Set.of(StepTrigger.START, StepTrigger.NEXT, StepTrigger.EVENT);

    private final Tracer tracer;

    /**
     * Create a handler.
     * @param tracer the tracer that makes the spans
     */
    public StepTracingObservationHandler(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    @Override
    public void onStart(StepObservationContext context) {
        StepExecution execution = context.getExecution();
        TraceContext parent = CONTINUING.contains(execution.trigger())
                ? TracingStepContexts.contextOf(this.tracer, execution.parentContext()) : null;
        Span.Builder builder = this.tracer.spanBuilder();
        if (parent != null) {
            builder.setParent(parent);
        }
        else {
            builder.setNoParent();
        }
        TraceContext started = TracingStepContexts.contextOf(this.tracer, execution.traceContext());
        if (started != null && (parent == null || !parent.traceId().equals(started.traceId()))) {
            builder.addLink(new Link(started));
        }
        Span span = builder.name(getSpanName(context)).start();
        getTracingContext(context).setSpan(span);
    }

    @Override
    public void onStop(StepObservationContext context) {
        Span span = getRequiredSpan(context);
        span.name(getSpanName(context));
        tagSpan(context, span);
        endSpan(context, span);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof StepObservationContext;
    }

    @Override
    public Tracer getTracer() {
        return this.tracer;
    }
}
