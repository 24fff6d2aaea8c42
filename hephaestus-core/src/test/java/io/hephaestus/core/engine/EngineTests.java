package io.hephaestus.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.hephaestus.core.definition.Target;
import io.hephaestus.core.definition.Transition;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.Wait;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.ResumeSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class EngineTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");

    private static final Instant T2 = Instant.parse("2026-01-01T00:02:00Z");

    private static final String ID = "orderid::1";

    private static final Done DONE = Done.step();

    private static final TestStep A = TestStep.of("a", "ok");

    private static final TestStep B = TestStep.of("b", "ok");

    private static final TestStep C = TestStep.of("c", "ok");

    private static final TestStep D = TestStep.of("d", "ok");

    private static final TestStep J = TestStep.of("j", "ok");

    private static final TestStep X = TestStep.of("x", "ok");

    /** a -ok-> b -ok-> Done. */
    private static final Workflow LINEAR = workflow("linear").start(A).transition(A, "ok", B).transition(B, "ok", DONE)
        .build();

    /** a -ok-> [b, c]; b, c -ok-> j (a join); j -ok-> Done. */
    private static final Workflow FAN_OUT = workflow("fanout").start(A).transition(A, "ok", B, C)
        .transition(B, "ok", J).transition(C, "ok", J).transition(J, "ok", DONE).build();

    private static final TestStep DECIDE = TestStep.of("decide", "approved", "rejected");

    /** decide -approved-> b, decide -rejected-> c; b, c -ok-> d (a merge of exclusive branches); d -ok-> Done. */
    private static final Workflow EXCLUSIVE = workflow("exclusive").start(DECIDE).transition(DECIDE, "approved", B)
        .transition(DECIDE, "rejected", C).transition(B, "ok", D).transition(C, "ok", D).transition(D, "ok", DONE)
        .build();

    /** decide -approved-> b, decide -rejected-> c; b, c -ok-> Done: Done is the merge. */
    private static final Workflow BRANCHING = workflow("branching").start(DECIDE).transition(DECIDE, "approved", B)
        .transition(DECIDE, "rejected", C).transition(B, "ok", DONE).transition(C, "ok", DONE).build();

    private static final TestStep P = TestStep.of("p", "done");

    private static final TestStep Q = TestStep.of("q", "x", "y");

    private static final TestStep E = TestStep.of("e", "done");

    private static final TestStep JOIN = TestStep.of("join", "done");

    private static final TestStep M = TestStep.of("m", "done");

    /**
     * s -ok-> [p, q]; p -done-> join; q -x-> join; q -y-> e; join, e -done-> m; m -done-> Done. When q emits y, join is
     * reached by p only: ENGINE.md 3.4's order-dependent partial join.
     */
    private static final Workflow PARTIAL_JOIN = workflow("partial").start(A).transition(A, "ok", P, Q)
        .transition(P, "done", JOIN).transition(Q, "x", JOIN).transition(Q, "y", E).transition(JOIN, "done", M)
        .transition(E, "done", M).transition(M, "done", DONE).build();

    /** a -ok-> route(b | c) on the choice a stored; b, c -ok-> Done. */
    private static final Workflow ROUTED = workflow("routed").start(A).route(A, "ok", EngineTests::route, B, C)
        .transition(B, "ok", DONE).transition(C, "ok", DONE).build();

    private static final WaitForEvent APPROVAL = WaitForEvent.of("approval", "approved");

    /** a -ok-> [approval (waits for approved), b]; approval -approved-> j; b -ok-> j; j -ok-> Done. */
    private static final Workflow PARALLEL_WAIT = workflow("parallelwait").start(A).transition(A, "ok", APPROVAL, B)
        .transition(APPROVAL, "approved", J).transition(B, "ok", J).transition(J, "ok", DONE).build();

    private static final WaitForEvent FIRST = WaitForEvent.of("first", "received");

    private static final WaitForEvent SECOND = WaitForEvent.of("second", "received", "second_only");

    /** a -ok-> [first, second], both waiting for received; then j -ok-> Done. */
    private static final Workflow TWO_WAITERS = workflow("twowaiters").start(A).transition(A, "ok", FIRST, SECOND)
        .transition(FIRST, "received", J).transition(SECOND, "received", J).transition(SECOND, "second_only", J)
        .transition(J, "ok", DONE).build();

    private static final WaitForEvent TIMED_APPROVAL = WaitForEvent.of("approval", "approved")
        .withTimeout(Duration.ofHours(1));

    /** a -ok-> approval (approved, or timeout after an hour) -> Done. */
    private static final Workflow TIMED = workflow("timed").start(A).transition(A, "ok", TIMED_APPROVAL)
        .transition(TIMED_APPROVAL, "approved", DONE).transition(TIMED_APPROVAL, "timeout", DONE).build();

    private static final Wait W1 = Wait.of("w1", Duration.ofMinutes(1));

    private static final Wait W2 = Wait.of("w2", Duration.ofMinutes(2));

    /** a -ok-> [w1, w2] (two timed waits); w1, w2 -timeout-> j; j -ok-> Done. */
    private static final Workflow TWO_TIMERS = workflow("twotimers").start(A).transition(A, "ok", W1, W2)
        .transition(W1, "timeout", J).transition(W2, "timeout", J).transition(J, "ok", DONE).build();

    private static final TestStep RETRIED = TestStep.of("r", "ok")
        .retrying(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(10)));

    /** r (three attempts, exponential backoff from 1 s) -ok-> Done. */
    private static final Workflow RETRYING = workflow("retrying").start(RETRIED).transition(RETRIED, "ok", DONE)
        .build();

    private static final TestStep ECHO = TestStep.of("echo", "ok");

    /** a (with start config) -ok-> echo (with config) -ok-> Done. */
    private static final Workflow CONFIGURED = workflow("configured").start(Target.of(A, Map.of("limit", 5)))
        .transition(A, "ok", Target.of(ECHO, Map.of("carrier", "ups"))).transition(ECHO, "ok", DONE).build();

    // ---------------------------------------------------------------- advance

    @Test
    void advancePendingInstanceStartsItWithTheStartStepActive() {
        Instance pending = pending(LINEAR);

        Advance advance = Engine.advance(LINEAR, pending, T1);

        assertThat(advance.instance().status()).isEqualTo(Status.RUNNING);
        assertThat(advance.instance().activeSteps()).containsExactly("a");
        assertThat(advance.instance().stepConfigs()).isEmpty();
        assertThat(advance.instance().updatedAt()).isEqualTo(T1);
        assertThat(advance.instance().createdAt()).isEqualTo(T0);
        assertThat(advance.effects()).containsExactly(new Effect.ExecuteStep("a", 1, Duration.ZERO));
    }

    @Test
    void advancePendingInstanceStoresTheStartConfig() {
        Advance advance = Engine.advance(CONFIGURED, pending(CONFIGURED), T1);

        assertThat(advance.instance().stepConfigs()).isEqualTo(Map.of("a", Map.of("limit", 5)));
        assertThat(Engine.input(advance.instance(), "a").config()).isEqualTo(Map.of("limit", 5));
    }

    @Test
    void advanceRunningInstanceWithActiveStepsChangesNothing() {
        Instance running = started(LINEAR);

        Advance advance = Engine.advance(LINEAR, running, T1);

        assertThat(advance.instance()).isSameAs(running);
        assertThat(advance.effects()).isEmpty();
    }

    @Test
    void advanceWaitingInstanceChangesNothing() {
        Instance waiting = timedWaiting();
        assertThat(waiting.status()).isEqualTo(Status.WAITING);

        Advance advance = Engine.advance(TIMED, waiting, T2);

        assertThat(advance.instance()).isSameAs(waiting);
        assertThat(advance.effects()).isEmpty();
    }

    static Stream<Arguments> terminalInstances() {
        Instance running = started(LINEAR);
        Instance completed = completed(LINEAR, completed(LINEAR, completed(LINEAR, running, "a", "ok"), "b", "ok"),
                "done", "done");
        Instance failed = Engine.fail(LINEAR, running, "a", FailureKind.ERROR, "boom", T1).instance();
        Instance cancelled = Engine.cancel(running, T1).instance();
        return Stream.of(arguments(Named.of("completed", completed)), arguments(Named.of("failed", failed)),
                arguments(Named.of("cancelled", cancelled)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminalInstances")
    void advanceTerminalInstanceChangesNothing(Instance terminal) {
        assertThat(terminal.status().isTerminal()).isTrue();

        Advance advance = Engine.advance(LINEAR, terminal, T2);

        assertThat(advance.instance()).isSameAs(terminal);
        assertThat(advance.effects()).isEmpty();
    }

    @Test
    void advanceRunningInstanceWithNothingActiveCompletesOnlyIfDoneRan() {
        Instance doneRan = running(Set.of(), Set.of("a", "b", "done"));
        Instance doneNeverRan = running(Set.of(), Set.of("a"));

        Instance completed = Engine.advance(LINEAR, doneRan, T1).instance();
        Advance stuck = Engine.advance(LINEAR, doneNeverRan, T1);

        assertThat(completed.status()).isEqualTo(Status.COMPLETED);
        assertThat(stuck.instance().status()).isEqualTo(Status.FAILED);
        assertThat(stuck.instance().failure()).hasValueSatisfying((failure) -> {
            assertThat(failure.kind()).isEqualTo(FailureKind.INVALID);
            assertThat(failure.reason()).startsWith("instance can make no progress");
        });
    }

    // ---------------------------------------------------------------- apply Completed

    @Test
    void applyCompletedStoresTheUpdatesUnderTheStepKey() {
        Instance instance = started(LINEAR);

        Instance next = Engine.apply(LINEAR, instance, "a", StepResult.completed("ok", Map.of("total", 42)), T1)
            .instance();

        assertThat(next.context().step("a")).isEqualTo(Map.of("total", 42));
        assertThat(next.context().initial()).isEqualTo(Map.of("amount", 10));
        assertThat(next.completedSteps()).containsExactly("a");
        assertThat(next.activeSteps()).containsExactly("b");
        assertThat(instance.context().steps()).isEmpty();
    }

    @Test
    void applyCompletedSharesWhatTheTransitionDoesNotChange() {
        Instance a = Engine.apply(LINEAR, started(LINEAR), "a", StepResult.completed("ok", Map.of("total", 42)), T1)
            .instance();

        Instance b = Engine.apply(LINEAR, a, "b", StepResult.completed("ok"), T2).instance();

        assertThat(b.context().initial()).isSameAs(a.context().initial());
        assertThat(b.context().step("a")).isSameAs(a.context().step("a"));
        assertThat(b.history().get(0)).isSameAs(a.history().get(0));
        assertThat(b.telemetryMetadata()).isSameAs(a.telemetryMetadata());
        assertThat(b.skippedSteps()).isSameAs(a.skippedSteps());
    }

    @Test
    void applyCompletedAppendsAHistoryEntry() {
        Instance next = Engine.apply(LINEAR, started(LINEAR), "a", StepResult.completed("ok", Map.of("total", 42)), T1)
            .instance();
        Instance after = Engine.apply(LINEAR, next, "b", StepResult.completed("ok"), T2).instance();

        assertThat(after.history()).containsExactly(new ExecutionEntry("a", "ok", T1, Map.of("total", 42)),
                new ExecutionEntry("b", "ok", T2, Map.of()));
    }

    @Test
    void applyCompletedMergesRuntimeMetadataLaterWins() {
        Instance afterA = Engine.apply(LINEAR, started(LINEAR), "a",
                StepResult.completed("ok", Map.of(), Map.of("region", "eu", "tier", 1)), T1).instance();
        Instance afterB = Engine.apply(LINEAR, afterA, "b", StepResult.completed("ok", Map.of(), Map.of("tier", 2)), T2)
            .instance();

        assertThat(afterA.runtimeMetadata()).isEqualTo(Map.of("region", "eu", "tier", 1));
        assertThat(afterB.runtimeMetadata()).isEqualTo(Map.of("region", "eu", "tier", 2));
    }

    @Test
    void applyCompletedStoresTheTargetConfigAndRemovesItWhenTheStepCompletes() {
        Instance afterA = completed(CONFIGURED, started(CONFIGURED), "a", "ok");
        Instance afterEcho = completed(CONFIGURED, afterA, "echo", "ok");

        assertThat(afterA.stepConfigs()).isEqualTo(Map.of("echo", Map.of("carrier", "ups")));
        assertThat(afterEcho.stepConfigs()).isEmpty();
    }

    @Test
    void applyCompletedReportsTheTransitionAndExecutesTheNewTargets() {
        Advance advance = Engine.apply(LINEAR, started(LINEAR), "a", StepResult.completed("ok"), T1);

        assertThat(advance.effects()).containsExactly(new Effect.Transitioned("a", "ok", List.of("b")),
                new Effect.ExecuteStep("b", 1, Duration.ZERO));
    }

    @Test
    void stepConfigFromTheTargetReachesStepInput() {
        Instance afterA = completed(CONFIGURED, started(CONFIGURED), "a", "ok");

        StepInput input = Engine.input(afterA, "echo");
        StepResult result = Engine.execute(CONFIGURED, afterA, "echo");

        assertThat(input).isEqualTo(new StepInput(afterA.runId(), ID, "configured", 1, afterA.context(), Map.of("carrier", "ups"),
                "echo", 1));
        assertThat(input.idempotencyKey()).isEqualTo(afterA.runId() + "/echo/1");
        assertThat(result).isEqualTo(StepResult.completed("ok", Map.of("config", Map.of("carrier", "ups"),
                "attempt", 1)));
    }

    @Test
    void waitDurationCanBeOverriddenByTheTargetConfig() {
        Wait wait = Wait.of(Duration.ofHours(1));
        Workflow workflow = workflow("override").start(A).transition(A, "ok", Target.of(wait, Map.of("duration_ms", 1500)))
            .transition(wait, "timeout", DONE).build();
        Instance afterA = completed(workflow, started(workflow), "a", "ok");

        Advance advance = Engine.apply(workflow, afterA, "wait", Engine.execute(workflow, afterA, "wait"), T1);

        assertThat(advance.instance().timers())
            .containsExactly(Map.entry("wait", new Timer(T1.plusMillis(1500), "timeout")));
    }

    // ---------------------------------------------------------------- graphs

    @Test
    void linearWorkflowRunsDoneBeforeCompleting() {
        Instance afterB = completed(LINEAR, completed(LINEAR, started(LINEAR), "a", "ok"), "b", "ok");

        assertThat(afterB.status()).isEqualTo(Status.RUNNING);
        assertThat(afterB.activeSteps()).containsExactly("done");

        Advance done = Engine.apply(LINEAR, afterB, "done", Engine.execute(LINEAR, afterB, "done"), T2);

        assertThat(done.instance().status()).isEqualTo(Status.COMPLETED);
        assertThat(done.instance().activeSteps()).isEmpty();
        assertThat(done.instance().completedSteps()).containsExactly("a", "b", "done");
        assertThat(done.instance().history()).extracting(ExecutionEntry::step).containsExactly("a", "b", "done");
        assertThat(done.instance().failure()).isEmpty();
        assertThat(done.effects()).containsExactly(new Effect.Transitioned("done", "done", List.of()));
    }

    @Test
    void workflowThatStartsWithDoneCompletesWhenDoneRuns() {
        Workflow trivial = workflow("trivial").start(DONE).build();
        Instance started = started(trivial);

        Instance completed = completed(trivial, started, "done", "done");

        assertThat(started.activeSteps()).containsExactly("done");
        assertThat(completed.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void fanOutActivatesEveryTarget() {
        Advance advance = Engine.apply(FAN_OUT, started(FAN_OUT), "a", StepResult.completed("ok"), T1);

        assertThat(advance.instance().activeSteps()).containsExactly("b", "c");
        assertThat(advance.instance().status()).isEqualTo(Status.RUNNING);
        assertThat(advance.effects()).containsExactly(new Effect.Transitioned("a", "ok", List.of("b", "c")),
                new Effect.ExecuteStep("b", 1, Duration.ZERO), new Effect.ExecuteStep("c", 1, Duration.ZERO));
    }

    static Stream<Arguments> completionOrders() {
        return Stream.of(arguments(Named.of("b then c", List.of("b", "c"))),
                arguments(Named.of("c then b", List.of("c", "b"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("completionOrders")
    void joinActivatesOnlyAfterEveryPredecessorCompleted(List<String> order) {
        Instance afterA = completed(FAN_OUT, started(FAN_OUT), "a", "ok");

        Advance first = Engine.apply(FAN_OUT, afterA, order.get(0), StepResult.completed("ok"), T1);
        Advance second = Engine.apply(FAN_OUT, first.instance(), order.get(1), StepResult.completed("ok"), T2);

        assertThat(first.instance().activeSteps()).containsExactly(order.get(1));
        assertThat(first.effects()).containsExactly(new Effect.Transitioned(order.get(0), "ok", List.of()));
        assertThat(second.instance().activeSteps()).containsExactly("j");
        assertThat(second.effects()).containsExactly(new Effect.Transitioned(order.get(1), "ok", List.of("j")),
                new Effect.ExecuteStep("j", 1, Duration.ZERO));

        Instance end = completed(FAN_OUT, completed(FAN_OUT, second.instance(), "j", "ok"), "done", "done");
        assertThat(end.status()).isEqualTo(Status.COMPLETED);
        assertThat(end.history()).extracting(ExecutionEntry::step).containsOnlyOnce("j", "done");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "approved", "rejected" })
    void mergeAfterExclusiveBranchesRuns(String event) {
        String taken = event.equals("approved") ? "b" : "c";
        String notTaken = event.equals("approved") ? "c" : "b";

        Instance afterDecide = completed(EXCLUSIVE, started(EXCLUSIVE), "decide", event);
        Instance afterBranch = completed(EXCLUSIVE, afterDecide, taken, "ok");

        assertThat(afterDecide.activeSteps()).containsExactly(taken);
        assertThat(afterDecide.skippedSteps()).containsExactly(notTaken);
        assertThat(afterBranch.activeSteps()).containsExactly("d");

        Instance afterMerge = completed(EXCLUSIVE, afterBranch, "d", "ok");
        assertThat(afterMerge.activeSteps()).containsExactly("done");
        Instance end = completed(EXCLUSIVE, afterMerge, "done", "done");
        assertThat(end.status()).isEqualTo(Status.COMPLETED);
        assertThat(end.history()).extracting(ExecutionEntry::step).containsExactly("decide", taken, "d", "done");
    }

    @Test
    void doneRunsOnceWhenItIsTheMergeOfExclusiveBranches() {
        Instance afterB = completed(BRANCHING, completed(BRANCHING, started(BRANCHING), "decide", "approved"), "b", "ok");

        assertThat(afterB.status()).isEqualTo(Status.RUNNING);
        assertThat(afterB.activeSteps()).containsExactly("done");

        Instance end = completed(BRANCHING, afterB, "done", "done");
        assertThat(end.status()).isEqualTo(Status.COMPLETED);
        assertThat(end.completedSteps()).containsExactly("decide", "b", "done");
        assertThat(end.skippedSteps()).containsExactly("c");
    }

    static Stream<Arguments> partialJoinOrders() {
        return Stream.of(arguments(Named.of("p before q", List.of("p", "q"))),
                arguments(Named.of("q before p", List.of("q", "p"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partialJoinOrders")
    void partialJoinDoesNotDependOnCompletionOrder(List<String> order) {
        Instance instance = completed(PARTIAL_JOIN, started(PARTIAL_JOIN), "a", "ok");
        for (String step : order) {
            instance = completed(PARTIAL_JOIN, instance, step, step.equals("q") ? "y" : "done");
        }

        // join is reached through p even though q took its other route
        assertThat(instance.activeSteps()).containsExactlyInAnyOrder("join", "e");

        instance = completed(PARTIAL_JOIN, instance, "join", "done");
        assertThat(instance.activeSteps()).containsExactly("e");
        instance = completed(PARTIAL_JOIN, instance, "e", "done");
        assertThat(instance.activeSteps()).containsExactly("m");
        instance = completed(PARTIAL_JOIN, completed(PARTIAL_JOIN, instance, "m", "done"), "done", "done");

        assertThat(instance.status()).isEqualTo(Status.COMPLETED);
        assertThat(instance.completedSteps()).containsExactlyInAnyOrder("a", "p", "q", "join", "e", "m", "done");
        assertThat(instance.skippedSteps()).isEmpty();
    }

    // ---------------------------------------------------------------- dynamic routes

    @ParameterizedTest(name = "choice {0}")
    @ValueSource(strings = { "b", "c" })
    void dynamicRouteActivatesTheTargetPickedFromTheContext(String choice) {
        Advance advance = Engine.apply(ROUTED, started(ROUTED), "a", StepResult.completed("ok", Map.of("choice", choice)),
                T1);

        assertThat(advance.instance().activeSteps()).containsExactly(choice);
        assertThat(advance.instance().skippedSteps()).containsExactly(choice.equals("b") ? "c" : "b");
        assertThat(advance.instance().stepConfigs()).isEqualTo(Map.of(choice, Map.of("picked", choice)));
        assertThat(advance.effects()).containsExactly(new Effect.Transitioned("a", "ok", List.of(choice)),
                new Effect.ExecuteStep(choice, 1, Duration.ZERO));

        Instance end = completed(ROUTED, completed(ROUTED, advance.instance(), choice, "ok"), "done", "done");
        assertThat(end.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void dynamicRouteToAnUndeclaredTargetFailsTheInstance() {
        Advance advance = Engine.apply(ROUTED, started(ROUTED), "a", StepResult.completed("ok", Map.of("choice", "x")),
                T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().activeSteps()).isEmpty();
        assertThat(advance.instance().failure()).contains(new Failure("a", 1, FailureKind.INVALID,
                "router of transition (a, ok) returned undeclared target x; declared: [b, c]", T1));
        assertThat(advance.effects()).isEmpty();
    }

    @Test
    void routerThatThrowsFailsTheInstanceWithKindException() {
        Advance advance = Engine.apply(ROUTED, started(ROUTED), "a",
                StepResult.completed("ok", Map.of("choice", "boom")), T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().failure()).contains(new Failure("a", 1, FailureKind.EXCEPTION,
                "router of transition (a, ok) threw java.lang.IllegalStateException: no route for boom", T1));
    }

    @Test
    void routerThatReturnsNullFailsTheInstanceWithKindInvalid() {
        Advance advance = Engine.apply(ROUTED, started(ROUTED), "a",
                StepResult.completed("ok", Map.of("choice", "null")), T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().failure()).contains(
                new Failure("a", 1, FailureKind.INVALID, "router of transition (a, ok) returned null", T1));
    }

    @Test
    void emptyRouteFailsTheInstanceAsStuckInsteadOfCompletingIt() {
        Advance advance = Engine.apply(ROUTED, started(ROUTED), "a",
                StepResult.completed("ok", Map.of("choice", "none")), T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().skippedSteps()).containsExactly("b", "c", "done");
        assertThat(advance.instance().completedSteps()).containsExactly("a");
        assertThat(advance.instance().failure()).contains(new Failure("a", 1, FailureKind.INVALID,
                "instance can make no progress: no step is left to run and Done was never reached (skipped: [b, c, done])",
                T1));
        assertThat(advance.effects()).containsExactly(new Effect.Transitioned("a", "ok", List.of()));
    }

    // ---------------------------------------------------------------- undeclared events

    @Test
    void undeclaredEventFailsTheInstanceWithKindInvalid() {
        Instance instance = started(LINEAR);

        Advance advance = Engine.apply(LINEAR, instance, "a", StepResult.completed("nope", Map.of("x", 1)), T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().failure()).contains(
                new Failure("a", 1, FailureKind.INVALID, "step a emitted undeclared event 'nope'; declared: [ok]", T1));
        assertThat(advance.instance().completedSteps()).isEmpty();
        assertThat(advance.instance().context().steps()).isEmpty();
        assertThat(advance.instance().activeSteps()).isEmpty();
    }

    @Test
    void undeclaredEventIsNotRetried() {
        Advance advance = Engine.apply(RETRYING, started(RETRYING), "r", StepResult.completed("nope"), T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().failures()).hasSize(1);
        assertThat(advance.effects()).isEmpty();
    }

    @Test
    void scheduledResumeWithAnUndeclaredEventFailsTheInstance() {
        Advance advance = Engine.apply(LINEAR, started(LINEAR), "a",
                StepResult.resumeAfter(Duration.ofMinutes(1), "later"), T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().timers()).isEmpty();
        assertThat(advance.instance().failure()).contains(new Failure("a", 1, FailureKind.INVALID,
                "step a scheduled a resume with undeclared event 'later'; declared: [ok]", T1));
        assertThat(advance.effects()).isEmpty();
    }

    // ---------------------------------------------------------------- waiting

    @Test
    void asyncResultParksTheInstance() {
        Instance afterA = completed(PARALLEL_WAIT, started(PARALLEL_WAIT), "a", "ok");
        Instance afterB = completed(PARALLEL_WAIT, afterA, "b", "ok");

        Advance advance = Engine.apply(PARALLEL_WAIT, afterB, "approval", StepResult.async(), T2);

        assertThat(advance.instance().status()).isEqualTo(Status.WAITING);
        assertThat(advance.instance().waitingSteps()).containsExactly(Map.entry("approval", T2));
        assertThat(advance.instance().activeSteps()).containsExactly("approval");
        assertThat(advance.instance().completedSteps()).doesNotContain("approval");
        assertThat(advance.instance().timers()).isEmpty();
        assertThat(advance.effects()).isEmpty();
    }

    @Test
    void scheduledResultParksTheInstanceWithADurableTimer() {
        Instance afterA = completed(TIMED, started(TIMED), "a", "ok");
        StepResult result = Engine.execute(TIMED, afterA, "approval");

        Advance advance = Engine.apply(TIMED, afterA, "approval", result, T1);

        Timer timer = new Timer(T1.plus(Duration.ofHours(1)), "timeout");
        assertThat(advance.instance().status()).isEqualTo(Status.WAITING);
        assertThat(advance.instance().waitingSteps()).containsExactly(Map.entry("approval", T1));
        assertThat(advance.instance().timers()).containsExactly(Map.entry("approval", timer));
        assertThat(advance.effects()).containsExactly(new Effect.ScheduleTimer("approval", timer));
    }

    @Test
    void waitingBranchDoesNotBlockAnIndependentBranch() {
        Instance afterA = completed(PARALLEL_WAIT, started(PARALLEL_WAIT), "a", "ok");

        Instance oneWaits = apply(PARALLEL_WAIT, afterA, "approval", StepResult.async());

        assertThat(oneWaits.status()).isEqualTo(Status.RUNNING);
        assertThat(oneWaits.runnableSteps()).containsExactly("b");
        assertThat(oneWaits.waitingSteps()).containsOnlyKeys("approval");
        assertThatNoException().isThrownBy(() -> Engine.execute(PARALLEL_WAIT, oneWaits, "b"));

        Instance allWait = completed(PARALLEL_WAIT, oneWaits, "b", "ok");

        assertThat(allWait.status()).isEqualTo(Status.WAITING);
        assertThat(allWait.activeSteps()).containsExactly("approval");
        assertThat(allWait.completedSteps()).containsExactly("a", "b");
    }

    // ---------------------------------------------------------------- resume

    @Test
    void resumeNamedStepCompletesItAndAppliesItsTransition() {
        Instance waiting = parallelWaitWaiting();

        Advance advance = Engine.resume(PARALLEL_WAIT, waiting, "approval", "approved", ResumeSource.EXTERNAL, T2);

        assertThat(advance.instance().status()).isEqualTo(Status.RUNNING);
        assertThat(advance.instance().waitingSteps()).isEmpty();
        assertThat(advance.instance().activeSteps()).containsExactly("j");
        assertThat(advance.instance().context().steps()).containsEntry("approval", Map.of());
        assertThat(advance.instance().history()).last()
            .isEqualTo(new ExecutionEntry("approval", "approved", T2, Map.of()));
        assertThat(advance.effects()).containsExactly(
                new Effect.Resumed("approval", "approved", ResumeSource.EXTERNAL, waiting.waitingSteps().get("approval")),
                new Effect.Transitioned("approval", "approved", List.of("j")), new Effect.ExecuteStep("j", 1, Duration.ZERO));
    }

    @Test
    void resumeWhileAnotherBranchRunsIsAccepted() {
        Instance afterA = completed(PARALLEL_WAIT, started(PARALLEL_WAIT), "a", "ok");
        Instance oneWaits = apply(PARALLEL_WAIT, afterA, "approval", StepResult.async());

        Advance advance = Engine.resume(PARALLEL_WAIT, oneWaits, "approval", "approved", ResumeSource.EXTERNAL, T2);

        assertThat(advance.instance().status()).isEqualTo(Status.RUNNING);
        assertThat(advance.instance().activeSteps()).containsExactly("b");
        assertThat(advance.instance().arrivals()).isEqualTo(Map.of("j", Set.of("approval")));
        assertThat(advance.effects()).containsExactly(
                new Effect.Resumed("approval", "approved", ResumeSource.EXTERNAL, oneWaits.waitingSteps().get("approval")),
                new Effect.Transitioned("approval", "approved", List.of()));
    }

    @Test
    void resumeInfersTheOnlyWaitingStepThatDeclaresTheEvent() {
        Instance waiting = parallelWaitWaiting();

        assertThat(Engine.resumableStep(PARALLEL_WAIT, waiting, "approved")).isEqualTo("approval");
        assertThat(Engine.resume(PARALLEL_WAIT, waiting, "approved", ResumeSource.EXTERNAL, T2))
            .isEqualTo(Engine.resume(PARALLEL_WAIT, waiting, "approval", "approved", ResumeSource.EXTERNAL, T2));
    }

    @Test
    void resumeInfersTheStepWhenOnlyOneOfSeveralWaitingStepsDeclaresTheEvent() {
        Instance waiting = twoWaitersWaiting();

        Advance advance = Engine.resume(TWO_WAITERS, waiting, "second_only", ResumeSource.EXTERNAL, T2);

        assertThat(advance.instance().waitingSteps()).containsOnlyKeys("first");
        assertThat(advance.instance().completedSteps()).contains("second");
    }

    @Test
    void resumeIsAmbiguousWhenTwoWaitingStepsDeclareTheEvent() {
        Instance waiting = twoWaitersWaiting();

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(TWO_WAITERS, waiting, "received", ResumeSource.EXTERNAL, T2))
            .withMessage("several waiting steps of instance orderid::1 accept event 'received': first, second; "
                    + "name the step to resume");
    }

    @Test
    void resumeNamingOneOfTwoWaitingStepsResumesOnlyThatStep() {
        Instance waiting = twoWaitersWaiting();

        Advance advance = Engine.resume(TWO_WAITERS, waiting, "first", "received", ResumeSource.EXTERNAL, T2);

        assertThat(advance.instance().status()).isEqualTo(Status.WAITING);
        assertThat(advance.instance().waitingSteps()).containsOnlyKeys("second");
        assertThat(advance.instance().completedSteps()).containsExactly("a", "first");
    }

    @Test
    void resumeWithAnUndeclaredEventNamesTheAcceptedEvents() {
        Instance waiting = parallelWaitWaiting();

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(PARALLEL_WAIT, waiting, "approval", "maybe", ResumeSource.EXTERNAL, T2))
            .withMessage("step approval of instance orderid::1 (parallelwait) does not accept event 'maybe' from "
                    + "callers; accepted: [approved]");
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(PARALLEL_WAIT, waiting, "maybe", ResumeSource.EXTERNAL, T2))
            .withMessage("no waiting step of instance orderid::1 (parallelwait) accepts event 'maybe'; "
                    + "waiting: approval (accepts [approved])");
    }

    @Test
    void resumeOfAStepThatIsNotWaitingIsRejected() {
        Instance afterA = completed(PARALLEL_WAIT, started(PARALLEL_WAIT), "a", "ok");
        Instance oneWaits = apply(PARALLEL_WAIT, afterA, "approval", StepResult.async());

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(PARALLEL_WAIT, oneWaits, "b", "ok", ResumeSource.EXTERNAL, T2))
            .withMessage("step b of instance orderid::1 (parallelwait) is not waiting; waiting steps: [approval]");
    }

    @Test
    void resumeOfAnInstanceThatIsNotWaitingIsRejected() {
        Instance running = started(LINEAR);

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(LINEAR, running, "ok", ResumeSource.EXTERNAL, T1))
            .withMessage("instance orderid::1 (linear) is running, not waiting: no step waits for an event");
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(LINEAR, running, "a", "ok", ResumeSource.EXTERNAL, T1))
            .withMessage("instance orderid::1 (linear) is running, not waiting: no step waits for an event");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminalInstances")
    void resumeOfATerminalInstanceIsRejected(Instance terminal) {
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(LINEAR, terminal, "ok", ResumeSource.EXTERNAL, T2))
            .withMessage("instance orderid::1 (linear) is " + terminal.status().value() + ", not waiting");
    }

    @Test
    void rejectedResumeLeavesTheInstanceUnchanged() {
        Instance waiting = twoWaitersWaiting();
        Instance copy = deepCopy(waiting);

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(TWO_WAITERS, waiting, "received", ResumeSource.EXTERNAL, T2));
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(TWO_WAITERS, waiting, "first", "second_only", ResumeSource.EXTERNAL, T2));
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> Engine.resume(TWO_WAITERS, waiting, "j", "ok", ResumeSource.EXTERNAL, T2));

        assertThat(copy).isNotSameAs(waiting);
        assertThat(waiting).isEqualTo(copy);
        assertThat(waiting.status()).isEqualTo(Status.WAITING);
        assertThat(waiting.waitingSteps()).containsOnlyKeys("first", "second");
    }

    @Test
    void externalResumeOfATimedStepCancelsItsTimer() {
        Instance waiting = timedWaiting();

        Advance advance = Engine.resume(TIMED, waiting, "approval", "approved", ResumeSource.EXTERNAL, T2);

        assertThat(advance.instance().timers()).isEmpty();
        assertThat(advance.instance().activeSteps()).containsExactly("done");
        assertThat(advance.effects()).containsExactly(new Effect.CancelTimer("approval"),
                new Effect.Resumed("approval", "approved", ResumeSource.EXTERNAL, waiting.waitingSteps().get("approval")),
                new Effect.Transitioned("approval", "approved", List.of("done")),
                new Effect.ExecuteStep("done", 1, Duration.ZERO));
    }

    @Test
    void resumeByTheTimerItselfDoesNotCancelIt() {
        Instance waiting = timedWaiting();
        Timer timer = waiting.timers().get("approval");

        Advance advance = Engine.resume(TIMED, waiting, "approval", timer.event(), ResumeSource.TIMEOUT,
                timer.dueAt());

        assertThat(advance.instance().timers()).isEmpty();
        assertThat(advance.instance().history()).last()
            .isEqualTo(new ExecutionEntry("approval", "timeout", timer.dueAt(), Map.of()));
        assertThat(advance.effects()).containsExactly(
                new Effect.Resumed("approval", "timeout", ResumeSource.TIMEOUT, waiting.waitingSteps().get("approval")),
                new Effect.Transitioned("approval", "timeout", List.of("done")), new Effect.ExecuteStep("done", 1, Duration.ZERO));
    }

    // ---------------------------------------------------------------- retries and failure

    @Test
    void failedStepIsRetriedWithBackoffUntilItsAttemptsAreExhausted() {
        Instance first = started(RETRYING);

        Advance second = Engine.apply(RETRYING, first, "r", StepResult.failed("boom 1"), T1);

        assertThat(second.instance().status()).isEqualTo(Status.RUNNING);
        assertThat(second.instance().activeSteps()).containsExactly("r");
        assertThat(second.instance().attempts()).isEqualTo(Map.of("r", 1));
        assertThat(second.effects()).containsExactly(new Effect.ExecuteStep("r", 2, Duration.ofSeconds(1)));
        assertThat(Engine.input(second.instance(), "r").attempt()).isEqualTo(2);
        assertThat(second.instance().failure()).isEmpty();

        Advance third = Engine.apply(RETRYING, second.instance(), "r", StepResult.failed("boom 2"), T2);

        assertThat(third.effects()).containsExactly(new Effect.ExecuteStep("r", 3, Duration.ofSeconds(2)));
        assertThat(Engine.input(third.instance(), "r").attempt()).isEqualTo(3);

        Instant t3 = T2.plusSeconds(60);
        Advance last = Engine.apply(RETRYING, third.instance(), "r", StepResult.failed("boom 3"), t3);

        assertThat(last.instance().status()).isEqualTo(Status.FAILED);
        assertThat(last.instance().activeSteps()).isEmpty();
        assertThat(last.instance().attempts()).isEmpty();
        assertThat(last.effects()).isEmpty();
        assertThat(last.instance().failures()).containsExactly(new Failure("r", 1, FailureKind.ERROR, "boom 1", T1),
                new Failure("r", 2, FailureKind.ERROR, "boom 2", T2), new Failure("r", 3, FailureKind.ERROR, "boom 3", t3));
        assertThat(last.instance().failure()).contains(new Failure("r", 3, FailureKind.ERROR, "boom 3", t3));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FailureKind.class, names = { "ERROR", "EXCEPTION", "TIMEOUT" })
    void failStepRetriesRetryableKinds(FailureKind kind) {
        Advance advance = Engine.failStep(RETRYING, started(RETRYING), "r", kind, "went wrong", T1);

        assertThat(advance.instance().status()).isEqualTo(Status.RUNNING);
        assertThat(advance.instance().failures()).containsExactly(new Failure("r", 1, kind, "went wrong", T1));
        assertThat(advance.effects()).containsExactly(new Effect.ExecuteStep("r", 2, Duration.ofSeconds(1)));
    }

    @Test
    void invalidFailureIsNeverRetried() {
        Advance advance = Engine.failStep(RETRYING, started(RETRYING), "r", FailureKind.INVALID, "bad result", T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().failures()).containsExactly(new Failure("r", 1, FailureKind.INVALID, "bad result",
                T1));
        assertThat(advance.effects()).isEmpty();
    }

    @Test
    void stepWithoutRetryPolicyFailsTheInstanceAtOnce() {
        Advance advance = Engine.apply(LINEAR, started(LINEAR), "a", StepResult.failed("boom"), T1);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().failure()).contains(new Failure("a", 1, FailureKind.ERROR, "boom", T1));
    }

    @Test
    void successAfterARetryClearsTheAttemptCountAndKeepsTheFailureRecord() {
        Instance retrying = apply(RETRYING, started(RETRYING), "r", StepResult.failed("boom"));

        Instance next = completed(RETRYING, retrying, "r", "ok");

        assertThat(next.attempts()).isEmpty();
        assertThat(next.activeSteps()).containsExactly("done");
        assertThat(next.failures()).extracting(Failure::reason).containsExactly("boom");
        assertThat(next.failure()).isEmpty();
    }

    @Test
    void failClearsActiveStepsWaitingStepsAndTimersAndCancelsEveryTimer() {
        Instance afterA = completed(TWO_TIMERS, started(TWO_TIMERS), "a", "ok");
        Instance waiting = apply(TWO_TIMERS, apply(TWO_TIMERS, afterA, "w1", Engine.execute(TWO_TIMERS, afterA, "w1")),
                "w2", Engine.execute(TWO_TIMERS, afterA, "w2"));
        assertThat(waiting.timers()).containsOnlyKeys("w1", "w2");

        Advance advance = Engine.fail(TWO_TIMERS, waiting, "w1", FailureKind.ERROR, "operator gave up", T2);

        assertThat(advance.instance().status()).isEqualTo(Status.FAILED);
        assertThat(advance.instance().activeSteps()).isEmpty();
        assertThat(advance.instance().waitingSteps()).isEmpty();
        assertThat(advance.instance().timers()).isEmpty();
        assertThat(advance.instance().failure())
            .contains(new Failure("w1", 1, FailureKind.ERROR, "operator gave up", T2));
        assertThat(advance.effects()).containsExactly(new Effect.CancelTimer("w1"), new Effect.CancelTimer("w2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminalInstances")
    void failOfATerminalInstanceChangesNothing(Instance terminal) {
        Advance advance = Engine.fail(LINEAR, terminal, "a", FailureKind.ERROR, "late", T2);

        assertThat(advance.instance()).isSameAs(terminal);
        assertThat(advance.effects()).isEmpty();
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void cancelActiveInstanceCancelsItAndItsTimers() {
        Instance waiting = timedWaiting();

        Advance advance = Engine.cancel(waiting, T2);

        assertThat(advance.instance().status()).isEqualTo(Status.CANCELLED);
        assertThat(advance.instance().activeSteps()).isEmpty();
        assertThat(advance.instance().waitingSteps()).isEmpty();
        assertThat(advance.instance().timers()).isEmpty();
        assertThat(advance.instance().updatedAt()).isEqualTo(T2);
        assertThat(advance.effects()).containsExactly(new Effect.CancelTimer("approval"));
    }

    @Test
    void cancelPendingOrRunningInstance() {
        assertThat(Engine.cancel(pending(LINEAR), T1).instance().status()).isEqualTo(Status.CANCELLED);
        Advance running = Engine.cancel(started(LINEAR), T1);
        assertThat(running.instance().status()).isEqualTo(Status.CANCELLED);
        assertThat(running.instance().activeSteps()).isEmpty();
        assertThat(running.effects()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminalInstances")
    void cancelOfATerminalInstanceIsRejected(Instance terminal) {
        assertThatExceptionOfType(InstanceStateException.class).isThrownBy(() -> Engine.cancel(terminal, T2))
            .withMessage("instance orderid::1 of workflow linear is " + terminal.status().value()
                    + "; only pending, running or waiting instances can be cancelled");
    }

    // ---------------------------------------------------------------- late and stray results

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminalInstances")
    void resultsForATerminalInstanceAreIgnored(Instance terminal) {
        Advance completed = Engine.apply(LINEAR, terminal, "a", StepResult.completed("ok"), T2);
        Advance failed = Engine.failStep(LINEAR, terminal, "a", FailureKind.TIMEOUT, "late", T2);

        assertThat(completed.instance()).isSameAs(terminal);
        assertThat(completed.effects()).isEmpty();
        assertThat(failed.instance()).isSameAs(terminal);
        assertThat(failed.effects()).isEmpty();
    }

    @Test
    void resultsForAStepThatIsNotRunnableAreIgnored() {
        Instance afterA = completed(PARALLEL_WAIT, started(PARALLEL_WAIT), "a", "ok");
        Instance oneWaits = apply(PARALLEL_WAIT, afterA, "approval", StepResult.async());

        // a already completed (a duplicate delivery), j not yet active, approval parked
        for (String step : List.of("a", "j", "approval")) {
            Advance completed = Engine.apply(PARALLEL_WAIT, oneWaits, step, StepResult.completed("ok"), T2);
            Advance failed = Engine.failStep(PARALLEL_WAIT, oneWaits, step, FailureKind.ERROR, "late", T2);
            assertThat(completed.instance()).as(step).isSameAs(oneWaits);
            assertThat(completed.effects()).as(step).isEmpty();
            assertThat(failed.instance()).as(step).isSameAs(oneWaits);
        }
    }

    @Test
    void executeOfAStepThatIsNotRunnableIsRejected() {
        Instance running = started(LINEAR);

        assertThatExceptionOfType(InstanceStateException.class).isThrownBy(() -> Engine.execute(LINEAR, running, "b"))
            .withMessage("step b of instance orderid::1 is not runnable; active steps: [a], waiting: []");
    }

    // ---------------------------------------------------------------- closed hierarchies

    @Test
    void applyHandlesEveryKindOfStepResult() {
        Map<Class<?>, StepResult> samples = Map.of(
                StepResult.Completed.class, StepResult.completed("ok"),
                StepResult.Async.class, StepResult.async(),
                StepResult.Scheduled.class, StepResult.resumeAfter(Duration.ofMinutes(1), "ok"),
                StepResult.Failed.class, StepResult.failed("boom"));
        assertThat(samples.keySet()).containsExactlyInAnyOrder(StepResult.class.getPermittedSubclasses());
        Instance running = started(LINEAR);

        for (Class<?> kind : StepResult.class.getPermittedSubclasses()) {
            StepResult result = samples.get(kind);
            assertThatNoException().as(kind.getSimpleName())
                .isThrownBy(() -> assertThat(Engine.apply(LINEAR, running, "a", result, T1).instance())
                    .isNotEqualTo(running));
        }
    }

    @Test
    void engineProducesEveryKindOfEffect() {
        Set<Class<?>> produced = new HashSet<>();
        Advance start = Engine.advance(TIMED, pending(TIMED), T0);
        Advance complete = Engine.apply(TIMED, start.instance(), "a", StepResult.completed("ok"), T1);
        Advance schedule = Engine.apply(TIMED, complete.instance(), "approval",
                Engine.execute(TIMED, complete.instance(), "approval"), T1);
        Advance resume = Engine.resume(TIMED, schedule.instance(), "approved", ResumeSource.EXTERNAL, T2);
        Advance queue = Engine.receive(TIMED, complete.instance(), "", "approved", Map.of(), T1);
        Stream.of(start, complete, schedule, resume, queue)
            .forEach((advance) -> advance.effects().forEach((effect) -> produced.add(effect.getClass())));

        assertThat(produced).containsExactlyInAnyOrder(Effect.class.getPermittedSubclasses());
    }

    @Test
    void engineHandlesEveryKindOfTransition() {
        Set<Class<?>> kinds = new HashSet<>();
        ROUTED.transitions().forEach((transition) -> kinds.add(transition.getClass()));
        assertThat(kinds).containsExactlyInAnyOrder(Transition.class.getPermittedSubclasses());

        Advance dynamic = Engine.apply(ROUTED, started(ROUTED), "a", StepResult.completed("ok", Map.of("choice", "b")),
                T1);
        Advance fixed = Engine.apply(ROUTED, dynamic.instance(), "b", StepResult.completed("ok"), T2);

        assertThat(ROUTED.transition("a", "ok")).containsInstanceOf(Transition.Dynamic.class);
        assertThat(dynamic.effects()).contains(new Effect.Transitioned("a", "ok", List.of("b")));
        assertThat(ROUTED.transition("b", "ok")).containsInstanceOf(Transition.Static.class);
        assertThat(fixed.effects()).contains(new Effect.Transitioned("b", "ok", List.of("done")));
    }

    // ---------------------------------------------------------------- fixtures

    private static Workflow.Builder workflow(String name) {
        return Workflow.builder(name).businessKey("orderid");
    }

    private static Instance pending(Workflow workflow) {
        return Instance.create("run-1", ID, workflow.name(), workflow.version(), Map.of("amount", 10), Map.of(), T0);
    }

    private static Instance started(Workflow workflow) {
        return Engine.advance(workflow, pending(workflow), T0).instance();
    }

    private static Instance apply(Workflow workflow, Instance instance, String step, StepResult result) {
        return Engine.apply(workflow, instance, step, result, T1).instance();
    }

    private static Instance completed(Workflow workflow, Instance instance, String step, String event) {
        Instance next = apply(workflow, instance, step, StepResult.completed(event));
        assertThat(next.completedSteps()).as("%s completed with %s", step, event).contains(step);
        return next;
    }

    private static Instance running(Set<String> active, Set<String> completed) {
        return new Instance("run-1", ID, "linear", 1, Status.RUNNING, Context.empty(), active, completed, Set.of(),
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(), T0, T0, 0);
    }

    /** approval waits, b completed: the whole instance waits. */
    private static Instance parallelWaitWaiting() {
        Instance afterA = completed(PARALLEL_WAIT, started(PARALLEL_WAIT), "a", "ok");
        Instance waiting = apply(PARALLEL_WAIT, completed(PARALLEL_WAIT, afterA, "b", "ok"), "approval",
                StepResult.async());
        assertThat(waiting.status()).isEqualTo(Status.WAITING);
        return waiting;
    }

    private static Instance twoWaitersWaiting() {
        Instance afterA = completed(TWO_WAITERS, started(TWO_WAITERS), "a", "ok");
        Instance waiting = apply(TWO_WAITERS, apply(TWO_WAITERS, afterA, "first", StepResult.async()), "second",
                StepResult.async());
        assertThat(waiting.status()).isEqualTo(Status.WAITING);
        return waiting;
    }

    private static Instance timedWaiting() {
        Instance afterA = completed(TIMED, started(TIMED), "a", "ok");
        Instance waiting = apply(TIMED, afterA, "approval", Engine.execute(TIMED, afterA, "approval"));
        assertThat(waiting.timers()).containsOnlyKeys("approval");
        return waiting;
    }

    private static Instance deepCopy(Instance instance) {
        Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
        instance.context().steps().forEach((key, value) -> steps.put(key, new LinkedHashMap<>(value)));
        Map<String, Set<String>> arrivals = new LinkedHashMap<>();
        instance.arrivals().forEach((key, value) -> arrivals.put(key, new LinkedHashSet<>(value)));
        return new Instance(instance.runId(), instance.id(), instance.workflow(), instance.workflowVersion(),
                instance.status(), new Context(new LinkedHashMap<>(instance.context().initial()), steps),
                new LinkedHashSet<>(instance.activeSteps()), new LinkedHashSet<>(instance.completedSteps()),
                new LinkedHashSet<>(instance.skippedSteps()), arrivals, new LinkedHashMap<>(instance.stepConfigs()),
                new LinkedHashMap<>(instance.waitingSteps()), new LinkedHashMap<>(instance.timers()),
                new LinkedHashMap<>(instance.attempts()), new ArrayList<>(instance.queuedEvents()),
                new LinkedHashMap<>(instance.runtimeMetadata()),
                new ArrayList<>(instance.history()), new ArrayList<>(instance.failures()),
                new LinkedHashMap<>(instance.telemetryMetadata()), instance.createdAt(), instance.updatedAt(),
                instance.revision());
    }

    private static List<Target> route(Context context) {
        Object choice = context.step("a").get("choice");
        if ("boom".equals(choice)) {
            throw new IllegalStateException("no route for boom");
        }
        if ("none".equals(choice)) {
            return List.of();
        }
        if ("null".equals(choice)) {
            return null;
        }
        if ("x".equals(choice)) {
            return List.of(Target.of(X));
        }
        return List.of(Target.of("b".equals(choice) ? B : C, Map.of("picked", choice)));
    }

    /**
     * A step with a fixed key and declared events that completes with its first event, reporting the config and
     * attempt it received.
     */
    record TestStep(String key, Set<String> events, RetryPolicy retryPolicy) implements Step {

        static TestStep of(String key, String... events) {
            return new TestStep(key, new LinkedHashSet<>(List.of(events)), RetryPolicy.none());
        }

        TestStep retrying(RetryPolicy policy) {
            return new TestStep(this.key, this.events, policy);
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed(this.events.iterator().next(),
                    Map.of("config", input.config(), "attempt", input.attempt()));
        }
    }
}
