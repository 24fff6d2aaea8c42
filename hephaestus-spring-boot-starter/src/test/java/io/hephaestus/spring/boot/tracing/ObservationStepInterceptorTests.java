package io.hephaestus.spring.boot.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.spring.boot.support.TestWorkflows;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Step observations on a real runner, with Micrometer Tracing's test tracer making the spans and
 * Micrometer's default meter handler behind {@link StepObservationMeterHandler}, as Spring Boot
 * registers them.
 */
class ObservationStepInterceptorTests {

    private final SimpleTracer tracer = new SimpleTracer();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ObservationRegistry observations = ObservationRegistry.create();

    private final Map<String, Map<String, String>> mdc = new ConcurrentHashMap<>();

    private LocalRunner runner;

    ObservationStepInterceptorTests() {
        this.observations.observationConfig()
            .observationHandler(new FirstMatchingCompositeObservationHandler(
                    new StepTracingObservationHandler(this.tracer), new DefaultTracingObservationHandler(this.tracer)))
            .observationHandler(new FirstMatchingCompositeObservationHandler(new StepObservationMeterHandler(),
                    new DefaultMeterObservationHandler(this.meters)));
    }

    @AfterEach
    void closeRunner() {
        if (this.runner != null) {
            this.runner.close();
        }
    }

    private LocalRunner runner(Workflow workflow) {
        this.runner = LocalRunner.builder(WorkflowRegistry.of(workflow)).threads(2)
            .stepInterceptor(new ObservationStepInterceptor(this.observations, null,
                    new TracingStepContexts(this.tracer, Propagator.NOOP)))
            .build();
        return this.runner;
    }

    /**
     * {@code validate} makes a child observation and records the MDC, then {@code confirm} waits
     * for {@code confirmed}, then {@code ship}, then Done.
     */
    private Workflow order() {
        Step validate = step("validate", "valid", (input) -> {
            this.mdc.put("validate", MDC.getCopyOfContextMap());
            Observation.createNotStarted("payment.call", this.observations).observe(() -> {
            });
            return StepResult.completed("valid");
        });
        WaitForEvent confirm = WaitForEvent.of("confirm", "confirmed");
        Step ship = step("ship", "shipped", (input) -> StepResult.completed("shipped"));
        return Workflow.builder("order").businessKey("orderid").start(validate).transition(validate, "valid", confirm)
            .transition(confirm, "confirmed", ship).transition(ship, "shipped", Done.step()).build();
    }

    private static Step step(String key, String event, Function<StepInput, StepResult> body) {
        return TestWorkflows.step(key, Set.of(event), body);
    }

    /** Start order 42 inside a request span, and return the span once the order waits. */
    private SimpleSpan startOrderInARequestUntilItWaits() {
        runner(order());
        SimpleSpan request = this.tracer.nextSpan().name("POST /orders").start();
        startInside(request, "order", "42");
        request.end();
        awaitStatus("order", "orderid::42", Status.WAITING);
        return request;
    }

    private Instance startInside(SimpleSpan request, String workflow, String value) {
        try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
            return this.runner.start(StartRequest.of(workflow, value));
        }
    }

    private Instance awaitStatus(String workflow, String id, Status status) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.runner.get(workflow, id).map(Instance::status).orElse(null) == status);
        return this.runner.get(workflow, id).orElseThrow();
    }

    private SimpleSpan span(String name) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.tracer.getSpans().stream().anyMatch((span) -> name.equals(span.getName())
                    && span.getEndTimestamp().toEpochMilli() > 0));
        return this.tracer.getSpans().stream().filter((span) -> name.equals(span.getName())).findFirst().orElseThrow();
    }

    @Test
    void workflowStartedInATracedRequestJoinsItsTraceAndStepCallsAreChildrenOfTheStep() {
        runner(order());
        SimpleSpan request = this.tracer.nextSpan().name("POST /orders").start();
        Instance started = startInside(request, "order", "42");
        request.end();
        awaitStatus("order", "orderid::42", Status.WAITING);

        SimpleSpan validate = span("order validate");
        SimpleSpan call = span("payment.call");
        SimpleSpan confirm = span("order confirm");
        assertThat(validate.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(validate.getParentId()).isEqualTo(request.getSpanId());
        assertThat(validate.getLinks()).isEmpty();
        assertThat(call.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(call.getParentId()).isEqualTo(validate.getSpanId());
        assertThat(confirm.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(confirm.getParentId()).isEqualTo(validate.getSpanId());
        assertThat(started.traceContext()).containsEntry(TracingStepContexts.TRACE_ID, request.getTraceId())
            .containsEntry(TracingStepContexts.SPAN_ID, request.getSpanId());
    }

    @Test
    void stepsResumedByALaterEventStartANewTraceLinkedToTheStoredOne() {
        SimpleSpan request = startOrderInARequestUntilItWaits();

        this.runner.resume("order", "orderid::42", "confirmed");
        awaitStatus("order", "orderid::42", Status.COMPLETED);

        SimpleSpan ship = span("order ship");
        assertThat(ship.getTraceId()).isNotEqualTo(request.getTraceId());
        assertThat(ship.getParentId()).isNullOrEmpty();
        assertThat(ship.getLinks()).extracting(Link::getTraceContext)
            .singleElement()
            .satisfies((linked) -> {
                assertThat(linked.traceId()).isEqualTo(request.getTraceId());
                assertThat(linked.spanId()).isEqualTo(request.getSpanId());
            });
        assertThat(this.tracer.getSpans()).as("the built-in Done step has no span")
            .noneMatch((span) -> span.getName().equals("order done"));
    }

    @Test
    void anEventDeliveredInsideATracedWebhookContinuesTheWebhookTraceAndLinksTheStartingOne() {
        SimpleSpan request = startOrderInARequestUntilItWaits();

        SimpleSpan webhook = this.tracer.nextSpan().name("POST /payments/webhook").start();
        try (Tracer.SpanInScope scope = this.tracer.withSpan(webhook)) {
            this.runner.resume("order", "orderid::42", "confirmed");
        }
        webhook.end();
        awaitStatus("order", "orderid::42", Status.COMPLETED);

        SimpleSpan ship = span("order ship");
        assertThat(ship.getTraceId()).isEqualTo(webhook.getTraceId());
        assertThat(ship.getParentId()).isEqualTo(webhook.getSpanId());
        assertThat(ship.getLinks()).extracting((link) -> link.getTraceContext().traceId())
            .containsExactly(request.getTraceId());
    }

    @Test
    void aRetryStartsANewTraceLinkedToTheStoredOne() {
        AtomicInteger calls = new AtomicInteger();
        Step flaky = new Step() {

            @Override
            public Set<String> events() {
                return Set.of("greeted");
            }

            @Override
            public String key() {
                return "hello";
            }

            @Override
            public RetryPolicy retryPolicy() {
                return RetryPolicy.constant(2, Duration.ofMillis(10));
            }

            @Override
            public StepResult execute(StepInput input) {
                return (calls.incrementAndGet() == 1) ? StepResult.failed("not yet") : StepResult.completed("greeted");
            }
        };
        runner(Workflow.builder("greeting").businessKey("greetingid").start(flaky)
            .transition(flaky, "greeted", Done.step())
            .build());
        SimpleSpan request = this.tracer.nextSpan().name("POST /greetings").start();
        startInside(request, "greeting", "1");
        request.end();
        awaitStatus("greeting", "greetingid::1", Status.COMPLETED);

        await().until(() -> this.tracer.getSpans().stream().filter((span) -> "greeting hello".equals(span.getName()))
            .count() == 2);
        List<SimpleSpan> attempts = this.tracer.getSpans().stream()
            .filter((span) -> "greeting hello".equals(span.getName()))
            .toList();
        SimpleSpan first = attempts.stream().filter((span) -> "1".equals(span.getTags().get("attempt"))).findFirst()
            .orElseThrow();
        SimpleSpan retry = attempts.stream().filter((span) -> "2".equals(span.getTags().get("attempt"))).findFirst()
            .orElseThrow();
        assertThat(first.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(first.getTags()).containsEntry("outcome", "failed");
        assertThat(retry.getTraceId()).isNotEqualTo(request.getTraceId());
        assertThat(retry.getTags()).containsEntry("trigger", "retry").containsEntry("outcome", "completed");
        assertThat(retry.getLinks()).extracting((link) -> link.getTraceContext().spanId())
            .containsExactly(request.getSpanId());
    }

    @Test
    void stepObservationCarriesItsKeyValuesAndAFailedStepItsError() {
        runner(TestWorkflows.greeting(1, (input) -> {
            throw new IllegalStateException("greeter is down");
        }));
        this.runner.start(StartRequest.of(TestWorkflows.GREETING, "1"));
        awaitStatus(TestWorkflows.GREETING, "greetingid::1", Status.FAILED);

        SimpleSpan hello = span("greeting hello");
        assertThat(hello.getError()).isInstanceOf(IllegalStateException.class).hasMessage("greeter is down");
        assertThat(hello.getTags()).containsEntry("workflow", "greeting")
            .containsEntry("step", "hello")
            .containsEntry("outcome", "failed")
            .containsEntry("instance.id", "greetingid::1")
            .containsEntry("attempt", "1")
            .containsEntry("trigger", "start");
    }

    @Test
    void aStepThatReturnsAFailureMarksItsObservationWithTheReason() {
        runner(TestWorkflows.greeting(1, (input) -> StepResult.failed("no greeting today")));
        this.runner.start(StartRequest.of(TestWorkflows.GREETING, "1"));
        awaitStatus(TestWorkflows.GREETING, "greetingid::1", Status.FAILED);

        SimpleSpan hello = span("greeting hello");
        assertThat(hello.getError()).hasMessage("no greeting today");
        assertThat(hello.getTags()).containsEntry("outcome", "failed");
    }

    @Test
    void stepObservationsAddNoMeters() {
        runner(order());
        this.runner.start(StartRequest.of("order", "42"));
        awaitStatus("order", "orderid::42", Status.WAITING);
        span("payment.call");

        assertThat(this.meters.find("hephaestus.step").meters()).isEmpty();
        assertThat(this.meters.find("hephaestus.step.active").meters()).isEmpty();
        assertThat(this.meters.getMeters()).extracting((meter) -> meter.getId().getName())
            .allMatch((name) -> name.startsWith("payment.call"));
    }

    @Test
    void mdcHoldsTheInstanceWorkflowAndStepWhileTheStepRunsOnly() {
        runner(order());
        this.runner.start(StartRequest.of("order", "42"));
        awaitStatus("order", "orderid::42", Status.WAITING);

        assertThat(this.mdc.get("validate")).containsEntry(ObservationStepInterceptor.MDC_INSTANCE_ID, "orderid::42")
            .containsEntry(ObservationStepInterceptor.MDC_WORKFLOW, "order")
            .containsEntry(ObservationStepInterceptor.MDC_STEP, "validate");
        assertThat(MDC.get(ObservationStepInterceptor.MDC_INSTANCE_ID)).isNull();
    }

    @Test
    void withoutATraceContextNothingIsStoredAndStepsStartTheirOwnTrace() {
        runner(order());
        Instance started = this.runner.start(StartRequest.of("order", "42"));
        awaitStatus("order", "orderid::42", Status.WAITING);

        assertThat(started.traceContext()).isEmpty();
        SimpleSpan validate = span("order validate");
        assertThat(validate.getParentId()).isNullOrEmpty();
        assertThat(validate.getLinks()).isEmpty();
    }

    @Test
    void currentSpanIsCapturedWithThePropagatorsFields() {
        Propagator propagator = new Propagator() {

            @Override
            public List<String> fields() {
                return List.of("traceparent");
            }

            @Override
            public <C> void inject(io.micrometer.tracing.TraceContext context, C carrier, Setter<C> setter) {
                setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
            }

            @Override
            public <C> Span.Builder extract(C carrier, Getter<C> getter) {
                return Span.Builder.NOOP;
            }
        };
        TracingStepContexts contexts = new TracingStepContexts(this.tracer, propagator);
        assertThat(contexts.get()).isEmpty();
        SimpleSpan request = this.tracer.nextSpan().name("request").start();
        try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
            assertThat(contexts.get()).containsEntry("traceparent",
                    "00-" + request.getTraceId() + "-" + request.getSpanId() + "-01")
                .containsEntry(TracingStepContexts.TRACE_ID, request.getTraceId())
                .containsEntry(TracingStepContexts.SPAN_ID, request.getSpanId());
        }
    }
}
