package io.hephaestus.spring.boot.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * {@link TracingStepContexts} captures the current span's context as the string fields a runner
 * stores with an instance: the {@link Propagator}'s fields (such as {@code traceparent}) and the
 * explicit {@value #TRACE_ID}, {@value #SPAN_ID} and {@value #SAMPLED} that
 * {@link StepTracingObservationHandler} reads back to continue or link to that context.
 *
 * @since 0.1.0
 */
public final class TracingStepContexts implements Supplier<Map<String, String>> {

    /** The key of the trace id. */
    public static final String TRACE_ID = "trace_id";

    /** The key of the span id. */
    public static final String SPAN_ID = "span_id";

    /** The key of the sampling decision ({@code true} or {@code false}), absent when deferred. */
    public static final String SAMPLED = "sampled";

    private static final Logger logger = LoggerFactory.getLogger(TracingStepContexts.class);

    private final Tracer tracer;

    private final Propagator propagator;

    /**
     * Create a capture.
     * @param tracer the tracer whose current span is captured
     * @param propagator the propagator whose fields are stored too
     */
    public TracingStepContexts(Tracer tracer, Propagator propagator) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.propagator = Objects.requireNonNull(propagator, "propagator");
    }

    @Override
    public Map<String, String> get() {
        Span span = this.tracer.currentSpan();
        if (span == null || span.isNoop()) {
            return Map.of();
        }
        TraceContext context = span.context();
        Map<String, String> fields = new LinkedHashMap<>();
        this.propagator.inject(context, fields, Map::put);
        fields.put(TRACE_ID, context.traceId());
        fields.put(SPAN_ID, context.spanId());
        Boolean sampled = context.sampled();
        if (sampled != null) {
            fields.put(SAMPLED, sampled.toString());
        }
        return fields;
    }

    /**
     * Return the trace context stored fields describe.
     * @param tracer the tracer that builds it
     * @param fields fields captured by {@link #get()}
     * @return the context, or {@code null} when the fields hold none
     */
    static @Nullable TraceContext contextOf(Tracer tracer, Map<String, String> fields) {
        String traceId = fields.get(TRACE_ID);
        String spanId = fields.get(SPAN_ID);
        if (traceId == null || spanId == null) {
            return null;
        }
        String sampled = fields.get(SAMPLED);
        try {
            TraceContext.Builder builder = tracer.traceContextBuilder().traceId(traceId).spanId(spanId);
            if (sampled != null) {
                builder.sampled(Boolean.valueOf(sampled));
            }
            return builder.build();
        }
        catch (RuntimeException ex) {
            // Ids this tracer cannot read (stored by another tracer, or edited): no parent, no link.
            logger.debug("Ignoring the stored trace context {}: {}", fields, ex.getMessage());
            return null;
        }
    }
}
