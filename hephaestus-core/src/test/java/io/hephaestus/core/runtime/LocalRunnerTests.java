package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.UnknownWorkflowException;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.IllegalResumeException;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.InstanceStateException;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.Wait;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.ResumeSource;
import io.hephaestus.core.telemetry.StepException;
import io.hephaestus.core.telemetry.StepResume;
import io.hephaestus.core.telemetry.StepStart;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.WorkflowCancel;
import io.hephaestus.core.telemetry.WorkflowException;
import io.hephaestus.core.telemetry.WorkflowStart;
import io.hephaestus.core.telemetry.WorkflowStop;
import io.hephaestus.core.telemetry.WorkflowTransition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class LocalRunnerTests {

    private final SettableClock clock = SettableClock.startingAt("2026-01-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler(this.clock);

    private final InMemoryStorage storage = new InMemoryStorage();

    private final Telemetry telemetry = Telemetry.create();

    private final RecordingListener recorder = new RecordingListener();

    private LocalRunner runner;

    LocalRunnerTests() {
        this.telemetry.attach("recorder", this.recorder);
    }

    @AfterEach
    void closeRunner() {
        if (this.runner != null) {
            this.runner.close();
        }
    }

    private LocalRunner runner(Workflow... workflows) {
        this.runner = LocalRunner.builder(WorkflowRegistry.of(workflows)).storage(this.storage)
            .telemetry(this.telemetry).scheduler(this.scheduler).clock(this.clock).threads(4)
            .retention(Duration.ZERO).build();
        return this.runner;
    }

    private Instance awaitStatus(String workflow, String id, Status status) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.runner.get(workflow, id).map(Instance::status).orElse(null) == status);
        return this.runner.get(workflow, id).orElseThrow();
    }

    private static Workflow linear() {
        Step a = TestSteps.emitting("step_a", "done");
        Step b = TestSteps.step("step_b", Set.of("done"),
                (input) -> StepResult.completed("done", Map.of("seen", input.context().step("step_a").get("value"))));
        return Workflow.builder("linear").businessKey("key").start(a).transition(a, "done", b)
            .transition(b, "done", Done.step()).build();
    }

    @Test
    void linearWorkflowRunsEveryStepInOrderAndCompletes() {
        runner(linear());
        Instance started = this.runner.start(StartRequest.of("linear", "1").context(Map.of("items", 2)));
        assertThat(started.id()).isEqualTo("key::1");
        assertThat(started.status()).isEqualTo(Status.RUNNING);
        Instance done = awaitStatus("linear", "key::1", Status.COMPLETED);
        assertThat(done.completedSteps()).containsExactly("step_a", "step_b", "done");
        assertThat(done.context().step("step_b")).containsEntry("seen", "step_a");
        assertThat(done.history()).extracting((entry) -> entry.step() + ":" + entry.event())
            .containsExactly("step_a:done", "step_b:done", "done:done");
    }

    @Test
    void telemetryEventsOfALinearRunComeInOrderWithTheirMeasurementsAndMetadata() {
        runner(linear());
        this.runner.start(StartRequest.of("linear", "1").context(Map.of("items", 2))
            .telemetryMetadata(Map.of("request_id", "req-1", "instance_id", "fake")));
        awaitStatus("linear", "key::1", Status.COMPLETED);
        await().until(() -> this.recorder.count(TelemetryEventType.WORKFLOW_STOP) == 1);
        assertThat(this.recorder.names()).containsExactly("hephaestus.runner.init", "hephaestus.workflow.start",
                "hephaestus.engine.advance", "hephaestus.step.start", "hephaestus.step.stop",
                "hephaestus.workflow.transition", "hephaestus.engine.advance", "hephaestus.step.start",
                "hephaestus.step.stop", "hephaestus.workflow.transition", "hephaestus.engine.advance",
                "hephaestus.step.start", "hephaestus.step.stop", "hephaestus.workflow.transition",
                "hephaestus.engine.advance", "hephaestus.workflow.stop");
        WorkflowStart start = this.recorder.of(WorkflowStart.class).get(0);
        assertThat(start.metadata()).containsEntry("instance_id", "key::1").containsEntry("workflow", "linear")
            .containsEntry("workflow_version", 1).containsEntry("initial_step", "step_a")
            .containsEntry("context_keys", List.of("items")).containsEntry("runner", "local")
            .containsEntry("recovered", false).containsEntry("request_id", "req-1");
        for (TelemetryEvent event : this.recorder.events().subList(1, this.recorder.events().size())) {
            assertThat(event.metadata()).as(event.name()).containsEntry("instance_id", "key::1")
                .containsEntry("request_id", "req-1");
        }
        List<WorkflowTransition> transitions = this.recorder.of(WorkflowTransition.class);
        assertThat(transitions).extracting(WorkflowTransition::fromStep, WorkflowTransition::targets).containsExactly(
                org.assertj.core.groups.Tuple.tuple("step_a", List.of("step_b")),
                org.assertj.core.groups.Tuple.tuple("step_b", List.of("done")),
                org.assertj.core.groups.Tuple.tuple("done", List.of()));
        StepStop stop = this.recorder.of(StepStop.class).get(1);
        assertThat(stop.metadata()).containsEntry("step", "Test_step_b").containsEntry("step_key", "step_b")
            .containsEntry("event", "done").containsEntry("has_context_updates", true)
            .containsEntry("has_metadata_updates", false).containsEntry("transitions_to", List.of("done"));
        assertThat(stop.measurements()).containsKey("duration");
        WorkflowStop workflowStop = this.recorder.of(WorkflowStop.class).get(0);
        assertThat(workflowStop.measurements()).containsEntry("step_count", 3).containsEntry("advance_count", 4)
            .containsEntry("duration", 0L);
        assertThat(workflowStop.metadata()).containsEntry("status", "completed")
            .containsEntry("completed_steps", List.of("step_a", "step_b", "done"));
    }

    @Test
    void fanOutRunsBranchesConcurrentlyAndTheJoinWaitsForBoth() {
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        Step a = TestSteps.emitting("start", "go");
        Step left = TestSteps.step("left", Set.of("done"), (input) -> meet(bothRunning, "done"));
        Step right = TestSteps.step("right", Set.of("done"), (input) -> meet(bothRunning, "done"));
        AtomicInteger joinRuns = new AtomicInteger();
        Step join = TestSteps.step("join", Set.of("done"), (input) -> {
            joinRuns.incrementAndGet();
            return StepResult.completed("done", Map.of("both", input.context().steps().containsKey("left")
                    && input.context().steps().containsKey("right")));
        });
        runner(Workflow.builder("fan").businessKey("key").start(a).transition(a, "go", left, right)
            .transition(left, "done", join).transition(right, "done", join).transition(join, "done", Done.step())
            .build());
        this.runner.start(StartRequest.of("fan", "1"));
        Instance done = awaitStatus("fan", "key::1", Status.COMPLETED);
        assertThat(done.context().step("join")).containsEntry("both", true);
        assertThat(joinRuns).hasValue(1);
        assertThat(this.recorder.of(StepStart.class)).filteredOn((s) -> s.stepKey().equals("left"))
            .singleElement().satisfies((s) -> assertThat(s.concurrent()).isTrue());
        assertThat(this.recorder.of(WorkflowTransition.class)).filteredOn((t) -> t.fromStep().equals("start"))
            .singleElement().satisfies((t) -> assertThat(t.metadata()).containsEntry("fan_out", true));
    }

    private static StepResult meet(CyclicBarrier barrier, String event) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException | BrokenBarrierException | TimeoutException ex) {
            return StepResult.failed("branches did not run concurrently: " + ex);
        }
        return StepResult.completed(event);
    }

    static Workflow payment() {
        Step validate = TestSteps.emitting("validate", "valid");
        WaitForEvent confirm = WaitForEvent.of("confirm", "confirmed", "declined");
        Step ship = TestSteps.emitting("ship", "shipped");
        Step refund = TestSteps.emitting("refund", "refunded");
        return Workflow.builder("payment").businessKey("orderid").start(validate).transition(validate, "valid", confirm)
            .transition(confirm, "confirmed", ship).transition(confirm, "declined", refund)
            .transition(ship, "shipped", Done.step()).transition(refund, "refunded", Done.step()).build();
    }

    @Test
    void asyncStepParksTheInstanceUntilResumed() {
        runner(payment());
        this.runner.start(StartRequest.of("payment", "7"));
        Instance waiting = awaitStatus("payment", "orderid::7", Status.WAITING);
        assertThat(waiting.waitingSteps()).containsOnlyKeys("confirm");
        this.clock.advance(Duration.ofSeconds(3));
        ResumeResult result = this.runner.resume("payment", "orderid::7", "confirmed");
        assertThat(result).isInstanceOf(ResumeResult.Delivered.class);
        Instance resumed = result.instance();
        assertThat(resumed.status()).isEqualTo(Status.RUNNING);
        assertThat(resumed.completedSteps()).contains("confirm");
        Instance done = awaitStatus("payment", "orderid::7", Status.COMPLETED);
        assertThat(done.completedSteps()).containsExactly("validate", "confirm", "ship", "done");
        assertThat(done.skippedSteps()).containsExactly("refund");
        StepResume resume = this.recorder.of(StepResume.class).get(0);
        assertThat(resume.source()).isEqualTo(ResumeSource.EXTERNAL);
        assertThat(resume.waitDuration()).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(resume.metadata()).containsEntry("resume_event", "confirmed").containsEntry("step_key", "confirm");
    }

    @Test
    void resumeCanBringDataThatIsStoredUnderTheResumedStep() {
        runner(payment());
        this.runner.start(StartRequest.of("payment", "7"));
        awaitStatus("payment", "orderid::7", Status.WAITING);
        Instance resumed = this.runner.resume(ResumeRequest.of("payment", "orderid::7", "confirmed")
            .data(Map.of("confirmation", "pay-123"))).instance();
        assertThat(resumed.context().step("confirm")).containsEntry("confirmation", "pay-123");
        assertThat(resumed.history()).last().satisfies((entry) -> {
            assertThat(entry.step()).isEqualTo("confirm");
            assertThat(entry.contextUpdates()).containsEntry("confirmation", "pay-123");
        });
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> ResumeRequest.of("payment", "orderid::7", "confirmed").data(Map.of("bad", new Object())))
            .withMessageContaining("resume data.bad");
    }

    @Test
    void waitStepResumesWithTimeoutWhenItsTimerFires() {
        Step a = TestSteps.emitting("a", "done");
        Wait pause = Wait.of("pause", Duration.ofSeconds(5));
        runner(Workflow.builder("timer").businessKey("key").start(a).transition(a, "done", pause)
            .transition(pause, Wait.TIMEOUT, Done.step()).build());
        this.runner.start(StartRequest.of("timer", "1"));
        Instance waiting = awaitStatus("timer", "key::1", Status.WAITING);
        assertThat(waiting.timers()).containsKey("pause");
        assertThat(waiting.timers().get("pause").dueAt()).isEqualTo(this.clock.instant().plusSeconds(5));
        this.scheduler.advance(Duration.ofSeconds(4));
        assertThat(this.runner.get("timer", "key::1").orElseThrow().status()).isEqualTo(Status.WAITING);
        this.scheduler.advance(Duration.ofSeconds(1));
        awaitStatus("timer", "key::1", Status.COMPLETED);
        StepResume resume = this.recorder.of(StepResume.class).get(0);
        assertThat(resume.source()).isEqualTo(ResumeSource.TIMEOUT);
        assertThat(resume.metadata()).containsEntry("source", "timeout").containsEntry("resume_event", "timeout");
        assertThat(resume.waitDuration()).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void failureInOneParallelBranchFailsTheInstanceAndKeepsTheResultOfTheBranchStillRunning() {
        TestSteps.Gate gate = new TestSteps.Gate();
        Step a = TestSteps.emitting("start", "go");
        Step slow = TestSteps.step("slow", Set.of("done"),
                (input) -> gate.await(StepResult.completed("done", Map.of("charged", 42))));
        Step broken = TestSteps.step("broken", Set.of("done"), (input) -> {
            awaitQuietly(gate);
            throw new IllegalStateException("boom", new java.io.IOException("disk on fire"));
        });
        Step join = TestSteps.emitting("join", "done");
        runner(Workflow.builder("branches").businessKey("key").start(a).transition(a, "go", slow, broken)
            .transition(slow, "done", join).transition(broken, "done", join).transition(join, "done", Done.step())
            .build(), linear());
        this.runner.start(StartRequest.of("branches", "1"));
        this.runner.start(StartRequest.of("linear", "2"));
        Instance failed = awaitStatus("branches", "key::1", Status.FAILED);
        assertThat(failed.failure()).hasValueSatisfying((failure) -> {
            assertThat(failure.step()).isEqualTo("broken");
            assertThat(failure.kind()).isEqualTo(FailureKind.EXCEPTION);
            assertThat(failure.reason()).contains("boom");
            assertThat(failure.stackTrace()).startsWith("java.lang.IllegalStateException: boom\n\tat ")
                .contains("\nCaused by: java.io.IOException: disk on fire\n");
        });
        assertThat(failed.activeSteps()).isEmpty();
        assertThat(failed.completedSteps()).doesNotContain("slow");
        gate.release.countDown();
        Instance recorded = await().until(() -> this.runner.get("branches", "1").orElseThrow(),
                (instance) -> instance.completedSteps().contains("slow"));
        assertThat(recorded.status()).isEqualTo(Status.FAILED);
        assertThat(recorded.context().step("slow")).containsEntry("charged", 42);
        assertThat(recorded.history()).extracting(ExecutionEntry::step, ExecutionEntry::kind)
            .containsExactly(tuple("start", ExecutionEntry.Kind.COMPLETED), tuple("slow", ExecutionEntry.Kind.COMPLETED));
        assertThat(recorded.completedSteps()).doesNotContain("join");
        assertThat(gate.interrupted).hasValue(0);
        awaitStatus("linear", "key::2", Status.COMPLETED);
        await().until(() -> this.runner.liveInstances() == 0);
        WorkflowException exception = this.recorder.of(WorkflowException.class).get(0);
        assertThat(exception.metadata()).containsEntry("failed_step", "broken").containsEntry("kind", "exception")
            .containsEntry("status", "failed");
        assertThat(exception.stacktrace()).isNotEmpty().allSatisfy((frame) -> assertThat(frame).doesNotStartWith("\tat"));
        assertThat(this.recorder.count(TelemetryEventType.WORKFLOW_EXCEPTION)).isEqualTo(1);
        assertThat(this.recorder.of(StepStop.class)).extracting(StepStop::stepKey).contains("slow");
    }

    private static void awaitQuietly(TestSteps.Gate gate) {
        try {
            gate.entered.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void cancelStopsTimersAndEmitsWorkflowCancel() {
        Wait pause = Wait.of("pause", Duration.ofMinutes(1));
        runner(Workflow.builder("timer").businessKey("key").start(pause).transition(pause, Wait.TIMEOUT, Done.step())
            .build());
        this.runner.start(StartRequest.of("timer", "1"));
        awaitStatus("timer", "key::1", Status.WAITING);
        assertThat(this.scheduler.pending()).isEqualTo(1);
        Instance cancelled = this.runner.cancel("timer", "key::1");
        assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
        assertThat(cancelled.timers()).isEmpty();
        assertThat(this.scheduler.pending()).isZero();
        this.scheduler.advance(Duration.ofMinutes(2));
        assertThat(this.runner.get("timer", "key::1").orElseThrow().status()).isEqualTo(Status.CANCELLED);
        WorkflowCancel event = this.recorder.of(WorkflowCancel.class).get(0);
        assertThat(event.metadata()).containsEntry("status", "cancelled").containsEntry("active_steps", List.of("pause"));
        assertThatExceptionOfType(InstanceStateException.class).isThrownBy(() -> this.runner.cancel("timer", "key::1"))
            .withMessageContaining("cancelled");
    }

    @Test
    void cancelInterruptsARunningStep() {
        TestSteps.Gate gate = new TestSteps.Gate();
        Step slow = TestSteps.step("slow", Set.of("done"), (input) -> gate.await(StepResult.completed("done")));
        runner(Workflow.builder("slow").businessKey("key").start(slow).transition(slow, "done", Done.step()).build());
        this.runner.start(StartRequest.of("slow", "1"));
        awaitQuietly(gate);
        this.runner.cancel("slow", "key::1");
        await().until(() -> gate.interrupted.get() == 1);
        assertThat(this.runner.get("slow", "key::1").orElseThrow().status()).isEqualTo(Status.CANCELLED);
        assertThat(this.recorder.count(TelemetryEventType.STEP_STOP)).isZero();
    }

    @Test
    void failingStepIsRetriedWithBackoffUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        Step flaky = TestSteps.retrying("flaky", "done", RetryPolicy.exponential(3, Duration.ofSeconds(1),
                Duration.ofSeconds(10)), (input) -> (calls.incrementAndGet() < 3)
                        ? StepResult.failed("attempt " + input.attempt() + " failed")
                        : StepResult.completed("done", Map.of("attempt", input.attempt())));
        runner(Workflow.builder("flaky").businessKey("key").start(flaky).transition(flaky, "done", Done.step()).build());
        this.runner.start(StartRequest.of("flaky", "1"));
        await().until(() -> calls.get() == 1 && this.scheduler.pending() == 1);
        this.scheduler.advance(Duration.ofSeconds(1));
        await().until(() -> calls.get() == 2 && this.scheduler.pending() == 1);
        this.scheduler.advance(Duration.ofMillis(1999));
        assertThat(calls).hasValue(2);
        this.scheduler.advance(Duration.ofMillis(1));
        Instance done = awaitStatus("flaky", "key::1", Status.COMPLETED);
        assertThat(done.context().step("flaky")).containsEntry("attempt", 3);
        assertThat(done.failures()).extracting((f) -> f.attempt() + ":" + f.reason())
            .containsExactly("1:attempt 1 failed", "2:attempt 2 failed");
        assertThat(this.recorder.of(StepException.class)).extracting(StepException::attempt, StepException::willRetry)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1, true), org.assertj.core.groups.Tuple.tuple(2, true));
    }

    @Test
    void stepThatExhaustsItsRetriesFailsTheInstance() {
        Step broken = TestSteps.retrying("broken", "done", RetryPolicy.constant(2, Duration.ofSeconds(1)),
                (input) -> StepResult.failed("nope"));
        runner(Workflow.builder("broken").businessKey("key").start(broken).transition(broken, "done", Done.step())
            .build());
        this.runner.start(StartRequest.of("broken", "1"));
        await().until(() -> this.scheduler.pending() == 1);
        this.scheduler.advance(Duration.ofSeconds(1));
        Instance failed = awaitStatus("broken", "key::1", Status.FAILED);
        assertThat(failed.failures()).hasSize(2);
        assertThat(failed.failure()).hasValueSatisfying((f) -> assertThat(f.kind()).isEqualTo(FailureKind.ERROR));
        assertThat(this.recorder.of(StepException.class)).extracting(StepException::willRetry).containsExactly(true, false);
    }

    @Test
    void stepThatExceedsItsTimeoutIsInterruptedAndFailsTheInstance() {
        TestSteps.Gate gate = new TestSteps.Gate();
        Step slow = TestSteps.timingOut("slow", "done", Duration.ofSeconds(2),
                (input) -> gate.await(StepResult.completed("done")));
        runner(Workflow.builder("slow").businessKey("key").start(slow).transition(slow, "done", Done.step()).build());
        this.runner.start(StartRequest.of("slow", "1"));
        awaitQuietly(gate);
        this.scheduler.advance(Duration.ofSeconds(2));
        Instance failed = awaitStatus("slow", "key::1", Status.FAILED);
        assertThat(failed.failure()).hasValueSatisfying((f) -> {
            assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(f.reason()).isEqualTo("step slow timed out after PT2S");
        });
        await().until(() -> gate.interrupted.get() == 1);
        assertThat(this.recorder.of(StepException.class).get(0).metadata()).containsEntry("kind", "timeout");
    }

    @Test
    void theThreadThatAppliesAResultRunsTheSingleNextStepItself() {
        List<String> threads = new CopyOnWriteArrayList<>();
        Function<String, Step> recording = (key) -> TestSteps.step(key, Set.of("done"), (input) -> {
            threads.add(Thread.currentThread().getName());
            return StepResult.completed("done");
        });
        Step a = recording.apply("a");
        Step b = recording.apply("b");
        Step c = recording.apply("c");
        runner(Workflow.builder("line").businessKey("key").start(a).transition(a, "done", b).transition(b, "done", c)
            .transition(c, "done", Done.step()).build());
        this.runner.start(StartRequest.of("line", "1"));
        awaitStatus("line", "key::1", Status.COMPLETED);
        assertThat(threads).hasSize(3).containsOnly(threads.get(0));
    }

    @Test
    void aStepRunByTheThreadOfItsPredecessorIsStillInterruptedByItsTimeout() {
        TestSteps.Gate gate = new TestSteps.Gate();
        Step first = TestSteps.emitting("first", "done");
        Step slow = TestSteps.timingOut("slow", "done", Duration.ofSeconds(2),
                (input) -> gate.await(StepResult.completed("done")));
        runner(Workflow.builder("slow").businessKey("key").start(first).transition(first, "done", slow)
            .transition(slow, "done", Done.step()).build());
        this.runner.start(StartRequest.of("slow", "1"));
        awaitQuietly(gate);
        this.scheduler.advance(Duration.ofSeconds(2));
        Instance failed = awaitStatus("slow", "key::1", Status.FAILED);
        assertThat(failed.failure()).hasValueSatisfying((f) -> assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT));
        await().until(() -> gate.interrupted.get() == 1);
    }

    @Test
    void aStepRunByTheThreadOfItsPredecessorIsStillInterruptedByCancel() {
        TestSteps.Gate gate = new TestSteps.Gate();
        Step first = TestSteps.emitting("first", "done");
        Step slow = TestSteps.step("slow", Set.of("done"), (input) -> gate.await(StepResult.completed("done")));
        runner(Workflow.builder("slow").businessKey("key").start(first).transition(first, "done", slow)
            .transition(slow, "done", Done.step()).build());
        this.runner.start(StartRequest.of("slow", "1"));
        awaitQuietly(gate);
        this.runner.cancel("slow", "key::1");
        await().until(() -> gate.interrupted.get() == 1);
        assertThat(this.runner.get("slow", "key::1").orElseThrow().status()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void waitingBranchDoesNotBlockAnIndependentBranch() {
        Step a = TestSteps.emitting("start", "go");
        WaitForEvent approval = WaitForEvent.of("approval", "approved");
        Step work = TestSteps.emitting("work", "done");
        Step more = TestSteps.emitting("more", "done");
        Step join = TestSteps.emitting("join", "done");
        runner(Workflow.builder("mixed").businessKey("key").start(a).transition(a, "go", approval, work)
            .transition(approval, "approved", join).transition(work, "done", more).transition(more, "done", join)
            .transition(join, "done", Done.step()).build());
        this.runner.start(StartRequest.of("mixed", "1"));
        Instance waiting = awaitStatus("mixed", "key::1", Status.WAITING);
        assertThat(waiting.completedSteps()).contains("work", "more");
        assertThat(waiting.activeSteps()).containsExactly("approval");
        this.runner.resume("mixed", "key::1", "approved");
        assertThat(awaitStatus("mixed", "key::1", Status.COMPLETED).completedSteps()).contains("join", "done");
    }

    @Test
    void startOfAnUnknownWorkflowNamesTheRegisteredOnes() {
        runner(linear());
        assertThatExceptionOfType(UnknownWorkflowException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("nope", "1")))
            .withMessage("unknown workflow 'nope'; registered workflows: [linear]");
    }

    @Test
    void startWithABadBusinessValueIsRejectedAndStoresNothing() {
        runner(linear());
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("linear", "Not Valid")))
            .withMessageContaining("\"Not Valid\"");
        assertThat(this.storage.query(InstanceQuery.all())).isEmpty();
    }

    @Test
    void startWithNonJsonCallerMetadataIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> StartRequest.of("linear", "1").telemetryMetadata(Map.of("thread", Thread.currentThread())))
            .withMessageContaining("telemetry metadata.thread");
    }

    @Test
    void secondStartOfAnActiveIdIsRejectedAndLeavesTheFirstUnchanged() {
        runner(payment());
        Instance first = this.runner.start(StartRequest.of("payment", "7"));
        Instance waiting = awaitStatus("payment", "orderid::7", Status.WAITING);
        assertThatExceptionOfType(DuplicateInstanceException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("payment", "7")))
            .withMessageContaining("orderid::7").withMessageContaining("waiting")
            .satisfies((ex) -> assertThat(ex.existing().runId()).isEqualTo(first.runId()));
        assertThat(this.runner.get("payment", "orderid::7")).contains(waiting);
        Instance again = this.runner.start(StartRequest.of("payment", "7").onConflict(ConflictPolicy.RETURN_EXISTING));
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(this.storage.query(InstanceQuery.all())).hasSize(1);
    }

    @Test
    void businessIdCanBeReusedOnceTheInstanceCompleted() {
        runner(linear());
        Instance first = this.runner.start(StartRequest.of("linear", "1"));
        awaitStatus("linear", "key::1", Status.COMPLETED);
        Instance second = this.runner.start(StartRequest.of("linear", "1"));
        assertThat(second.runId()).isNotEqualTo(first.runId());
        assertThat(this.storage.query(InstanceQuery.all().id("key::1"))).hasSize(2);
    }

    @Test
    void scopeNoneGivesEveryStartItsOwnId() {
        Step a = TestSteps.emitting("a", "done");
        runner(Workflow.builder("free").businessKey("key", UniquenessScope.NONE).start(a).transition(a, "done",
                Done.step()).build());
        Instance one = this.runner.start(StartRequest.of("free", "1"));
        Instance two = this.runner.start(StartRequest.of("free", "1"));
        assertThat(one.id()).matches("key::1::[0-9a-f]{8}");
        assertThat(two.id()).isNotEqualTo(one.id());
    }

    @Test
    void resumeWithAnUndeclaredEventIsRejectedAndChangesNothing() {
        runner(payment());
        this.runner.start(StartRequest.of("payment", "7"));
        Instance waiting = awaitStatus("payment", "orderid::7", Status.WAITING);
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume("payment", "orderid::7", "teleported"))
            .withMessageContaining("'teleported'").withMessageContaining("accepted now: [confirmed, declined]");
        assertThat(this.runner.get("payment", "orderid::7")).contains(waiting);
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume(ResumeRequest.of("payment", "orderid::7", "confirmed").step("validate")))
            .withMessageContaining("step validate").withMessageContaining("does not accept event 'confirmed'");
        assertThat(this.runner.get("payment", "orderid::7")).contains(waiting);
    }

    @Test
    void resumeOfAnInstanceThatIsNotWaitingIsRejected() {
        runner(linear(), payment());
        this.runner.start(StartRequest.of("linear", "1"));
        awaitStatus("linear", "key::1", Status.COMPLETED);
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume("linear", "key::1", "done"))
            .withMessage("cannot resume instance key::1 of workflow linear: it is completed; only pending, running"
                    + " or waiting instances can be resumed");
    }

    @Test
    void resumeOfAnUnknownIdIsRejected() {
        runner(payment());
        assertThatExceptionOfType(InstanceNotFoundException.class)
            .isThrownBy(() -> this.runner.resume("payment", "orderid::404", "confirmed"))
            .withMessage("no instance of workflow 'payment' has id orderid::404");
    }

    @Test
    void newRunnerOnTheSameStorageRecoversWaitingInstancesAndTheirTimers() {
        Wait pause = Wait.of("pause", Duration.ofSeconds(30));
        Workflow timer = Workflow.builder("timer").businessKey("key").start(pause)
            .transition(pause, Wait.TIMEOUT, Done.step()).build();
        runner(timer);
        this.runner.start(StartRequest.of("timer", "1"));
        awaitStatus("timer", "key::1", Status.WAITING);
        this.runner.close();
        ManualScheduler freshScheduler = new ManualScheduler(this.clock);
        this.runner = LocalRunner.builder(WorkflowRegistry.of(timer)).storage(this.storage).telemetry(this.telemetry)
            .scheduler(freshScheduler).clock(this.clock).retention(Duration.ZERO).build();
        assertThat(freshScheduler.pending()).isEqualTo(1);
        assertThat(this.recorder.of(WorkflowStart.class)).extracting(WorkflowStart::recovered).containsExactly(false,
                true);
        freshScheduler.advance(Duration.ofSeconds(30));
        awaitStatus("timer", "key::1", Status.COMPLETED);
    }

    @Test
    void listenerThatThrowsNeverReachesTheWorkflow() {
        this.telemetry.attach("broken", (event) -> {
            throw new IllegalStateException("listener bug");
        });
        runner(linear());
        this.runner.start(StartRequest.of("linear", "1"));
        awaitStatus("linear", "key::1", Status.COMPLETED);
    }

    @Test
    void closeLetsARunningStepFinishAndStoresItsResult() throws Exception {
        TestSteps.Gate gate = new TestSteps.Gate();
        Step slow = TestSteps.step("slow", Set.of("done"), (input) -> gate.await(StepResult.completed("done")));
        runner(Workflow.builder("slow").businessKey("key").start(slow).transition(slow, "done", Done.step()).build());
        this.runner.start(StartRequest.of("slow", "1"));
        awaitQuietly(gate);
        java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture
            .runAsync(this.runner::close);
        await().until(() -> !this.runner.isAccepting());
        gate.release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        Instance stored = this.storage.query(InstanceQuery.all().id("key::1")).get(0);
        assertThat(stored.completedSteps()).containsExactly("slow");
        assertThat(stored.status()).isEqualTo(Status.RUNNING);
        assertThat(gate.interrupted).hasValue(0);
    }

    @Test
    void closeInterruptsStepsThatOutlastTheGracePeriod() {
        TestSteps.Gate gate = new TestSteps.Gate();
        Step slow = TestSteps.step("slow", Set.of("done"), (input) -> gate.await(StepResult.completed("done")));
        this.runner = LocalRunner.builder(WorkflowRegistry.of(Workflow.builder("slow").businessKey("key").start(slow)
            .transition(slow, "done", Done.step()).build())).storage(this.storage).scheduler(this.scheduler)
            .clock(this.clock).shutdownGracePeriod(Duration.ZERO).build();
        this.runner.start(StartRequest.of("slow", "1"));
        awaitQuietly(gate);
        this.runner.close();
        await().until(() -> gate.interrupted.get() == 1);
        assertThat(this.storage.query(InstanceQuery.all().id("key::1")).get(0).activeSteps()).containsExactly("slow");
    }

    @Test
    void closedRunnerRejectsNewWork() {
        runner(linear());
        this.runner.close();
        assertThat(this.runner.isAccepting()).isFalse();
        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("linear", "1")))
            .withMessageContaining("closed");
    }
}
