package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.Wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class StepInterceptorTests {

    private final SettableClock clock = SettableClock.startingAt("2026-01-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler(this.clock);

    private final InMemoryStorage storage = new InMemoryStorage();

    private final Recording recording = new Recording();

    private LocalRunner runner;

    @AfterEach
    void closeRunner() {
        if (this.runner != null) {
            this.runner.close();
        }
    }

    private LocalRunner runner(StepInterceptor interceptor, Workflow... workflows) {
        this.runner = LocalRunner.builder(WorkflowRegistry.of(workflows)).storage(this.storage)
            .scheduler(this.scheduler).clock(this.clock).threads(2).retention(Duration.ZERO)
            .stepInterceptor(interceptor).build();
        return this.runner;
    }

    private Instance awaitStatus(String workflow, String id, Status status) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.runner.get(workflow, id).map(Instance::status).orElse(null) == status);
        return this.runner.get(workflow, id).orElseThrow();
    }

    @Test
    void startStoresTheCallersContextAndFirstStepsContinueIt() {
        runner(this.recording, LocalRunnerTests.payment());
        inContext("request", () -> this.runner.start(StartRequest.of("payment", "7")));
        Instance waiting = awaitStatus("payment", "orderid::7", Status.WAITING);
        assertThat(waiting.traceContext()).containsExactly(Map.entry("ctx", "request"));
        assertThat(this.storage.get(waiting.runId()).orElseThrow().traceContext()).isEqualTo(waiting.traceContext());
        await().until(() -> this.recording.executions.size() == 2);
        assertThat(this.recording.executions).extracting(StepExecution::stepKey, StepExecution::trigger,
                StepExecution::parentContext, StepExecution::traceContext)
            .containsExactly(tuple("validate", StepTrigger.START, Map.of("ctx", "request"), Map.of("ctx", "request")),
                    tuple("confirm", StepTrigger.NEXT, Map.of("ctx", "step:validate"), Map.of("ctx", "request")));
        assertThat(this.recording.executions.get(0)).satisfies((execution) -> {
            assertThat(execution.instanceId()).isEqualTo("orderid::7");
            assertThat(execution.runId()).isEqualTo(waiting.runId());
            assertThat(execution.workflow()).isEqualTo("payment");
            assertThat(execution.workflowVersion()).isEqualTo(1);
            assertThat(execution.stepName()).isEqualTo("Test_validate");
            assertThat(execution.attempt()).isEqualTo(1);
        });
        assertThat(this.recording.outcomes.get(0)).isInstanceOfSatisfying(StepOutcome.Returned.class,
                (returned) -> assertThat(returned.result()).isInstanceOfSatisfying(StepResult.Completed.class,
                        (completed) -> assertThat(completed.event()).isEqualTo("valid")));
    }

    @Test
    void stepsAfterAnExternalEventKnowTheyResumeAndSeeTheStoredContext() {
        runner(this.recording, LocalRunnerTests.payment());
        inContext("request", () -> this.runner.start(StartRequest.of("payment", "7")));
        awaitStatus("payment", "orderid::7", Status.WAITING);
        inContext("webhook", () -> this.runner.resume("payment", "orderid::7", "confirmed"));
        awaitStatus("payment", "orderid::7", Status.COMPLETED);
        assertThat(this.recording.executions).filteredOn((execution) -> execution.stepKey().equals("ship"))
            .extracting(StepExecution::trigger, StepExecution::parentContext, StepExecution::traceContext)
            .containsExactly(tuple(StepTrigger.EVENT, Map.of("ctx", "webhook"), Map.of("ctx", "request")));
    }

    @Test
    void stepsAfterATimerKnowTheTimerFired() {
        Step a = TestSteps.emitting("a", "done");
        Wait pause = Wait.of("pause", Duration.ofSeconds(5));
        Step after = TestSteps.emitting("after", "done");
        runner(this.recording, Workflow.builder("timer").businessKey("key").start(a).transition(a, "done", pause)
            .transition(pause, Wait.TIMEOUT, after).transition(after, "done", Done.step()).build());
        this.runner.start(StartRequest.of("timer", "1"));
        awaitStatus("timer", "key::1", Status.WAITING);
        this.scheduler.advance(Duration.ofSeconds(5));
        awaitStatus("timer", "key::1", Status.COMPLETED);
        assertThat(this.recording.executions).filteredOn((execution) -> execution.stepKey().equals("after"))
            .extracting(StepExecution::trigger, StepExecution::parentContext)
            .containsExactly(tuple(StepTrigger.TIMER, Map.of()));
    }

    @Test
    void anotherAttemptOfAFailedStepIsARetryAndSeesTheFailure() {
        AtomicInteger calls = new AtomicInteger();
        Step flaky = TestSteps.retrying("flaky", "done", RetryPolicy.exponential(2, Duration.ofSeconds(1),
                Duration.ofSeconds(1)), (input) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("boom");
                    }
                    return StepResult.completed("done");
                });
        runner(this.recording,
                Workflow.builder("flaky").businessKey("key").start(flaky).transition(flaky, "done", Done.step()).build());
        this.runner.start(StartRequest.of("flaky", "1"));
        await().until(() -> calls.get() == 1 && this.scheduler.pending() == 1);
        this.scheduler.advance(Duration.ofSeconds(1));
        awaitStatus("flaky", "key::1", Status.COMPLETED);
        assertThat(this.recording.executions).extracting(StepExecution::stepKey, StepExecution::attempt,
                StepExecution::trigger)
            .containsExactly(tuple("flaky", 1, StepTrigger.START), tuple("flaky", 2, StepTrigger.RETRY));
        assertThat(this.recording.outcomes.get(0)).isInstanceOfSatisfying(StepOutcome.Threw.class,
                (threw) -> assertThat(threw.cause()).hasMessage("boom"));
    }

    @Test
    void aRunnerPickingUpStoredInstancesReportsRecovery() {
        Step first = TestSteps.emitting("first", "done");
        Step second = TestSteps.step("second", Set.of("done"), (input) -> StepResult.completed("done"));
        Workflow workflow = Workflow.builder("line").businessKey("key").start(first).transition(first, "done", second)
            .transition(second, "done", Done.step()).build();
        Instance stored = Instance.create("run-1", "key::1", "line", 1, Map.of(), Map.of(), Map.of("ctx", "request"),
                this.clock.instant());
        this.storage.create(stored, workflow.businessKey().scope());
        runner(this.recording, workflow);
        awaitStatus("line", "key::1", Status.COMPLETED);
        assertThat(this.recording.executions).extracting(StepExecution::stepKey, StepExecution::trigger,
                StepExecution::traceContext)
            .startsWith(tuple("first", StepTrigger.RECOVERY, Map.of("ctx", "request")),
                    tuple("second", StepTrigger.NEXT, Map.of("ctx", "request")));
    }

    @Test
    void anInterceptorThatThrowsOrDoesNotProceedNeverLosesTheStep() {
        StepInterceptor throwing = (execution, invocation) -> {
            throw new IllegalStateException("broken interceptor");
        };
        runner(throwing, LocalRunnerTests.payment());
        this.runner.start(StartRequest.of("payment", "7"));
        Instance waiting = awaitStatus("payment", "orderid::7", Status.WAITING);
        assertThat(waiting.completedSteps()).containsExactly("validate");
        assertThat(waiting.traceContext()).isEmpty();
    }

    @Test
    void compositeAppliesInterceptorsInOrderAndMergesTheirContexts() {
        List<String> calls = new CopyOnWriteArrayList<>();
        StepInterceptor outer = named("outer", calls, Map.of("a", "1", "b", "outer"));
        StepInterceptor inner = named("inner", calls, Map.of("b", "inner"));
        StepInterceptor composite = StepInterceptor.composite(List.of(outer, inner));
        assertThat(composite.currentContext()).containsOnly(Map.entry("a", "1"), Map.entry("b", "inner"));
        runner(composite, LocalRunnerTests.payment());
        this.runner.start(StartRequest.of("payment", "7"));
        awaitStatus("payment", "orderid::7", Status.WAITING);
        assertThat(calls).startsWith("outer>validate", "inner>validate", "inner<validate", "outer<validate");
        assertThat(StepInterceptor.composite(List.of(inner))).isSameAs(inner);
        assertThatIllegalArgumentException().isThrownBy(() -> StepInterceptor.composite(List.of()))
            .withMessageContaining("at least one");
    }

    /** Run {@code call} with {@code context} as the thread's current (fake) trace context. */
    private static void inContext(String context, Runnable call) {
        Recording.CURRENT.set(context);
        try {
            call.run();
        }
        finally {
            Recording.CURRENT.remove();
        }
    }

    private static StepInterceptor named(String name, List<String> calls, Map<String, String> context) {
        return new StepInterceptor() {

            @Override
            public Map<String, String> currentContext() {
                return context;
            }

            @Override
            public StepOutcome intercept(StepExecution execution, Invocation invocation) {
                calls.add(name + ">" + execution.stepKey());
                StepOutcome outcome = invocation.proceed();
                calls.add(name + "<" + execution.stepKey());
                return outcome;
            }
        };
    }

    /**
     * Stands in for a tracer: the "current context" is a thread local, set to the step while it runs.
     */
    private static final class Recording implements StepInterceptor {

        static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

        final List<StepExecution> executions = new CopyOnWriteArrayList<>();

        final List<StepOutcome> outcomes = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, String> currentContext() {
            String current = CURRENT.get();
            return (current != null) ? Map.of("ctx", current) : Map.of();
        }

        @Override
        public StepOutcome intercept(StepExecution execution, Invocation invocation) {
            this.executions.add(execution);
            CURRENT.set("step:" + execution.stepKey());
            try {
                StepOutcome outcome = invocation.proceed();
                this.outcomes.add(outcome);
                return outcome;
            }
            finally {
                CURRENT.remove();
            }
        }
    }
}
