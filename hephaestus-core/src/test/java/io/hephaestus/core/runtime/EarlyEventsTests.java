package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.IllegalResumeException;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.QueuedEvent;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.Wait;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.ResumeSource;
import io.hephaestus.core.telemetry.StepResume;
import io.hephaestus.core.telemetry.Telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Events that arrive before a step waits for them are queued with the instance and delivered when
 * it does; events only a timer may send are refused.
 */
class EarlyEventsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SettableClock clock = SettableClock.startingAt("2026-01-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler(this.clock);

    private final InMemoryStorage storage = new InMemoryStorage();

    private final Telemetry telemetry = Telemetry.create();

    private final RecordingListener recorder = new RecordingListener();

    private final TestSteps.Gate gate = new TestSteps.Gate();

    private LocalRunner runner;

    EarlyEventsTests() {
        this.telemetry.attach("recorder", this.recorder);
    }

    @AfterEach
    void closeRunner() {
        this.gate.release.countDown();
        if (this.runner != null) {
            this.runner.close();
        }
    }

    private LocalRunner runner(Workflow... workflows) {
        this.runner = LocalRunner.builder(WorkflowRegistry.of(workflows)).storage(this.storage)
            .telemetry(this.telemetry).scheduler(this.scheduler).clock(this.clock).threads(4)
            .shutdownGracePeriod(Duration.ZERO).build();
        return this.runner;
    }

    private Instance awaitStatus(String workflow, String id, Status status) {
        await().atMost(TIMEOUT).until(() -> this.runner.get(workflow, id).map(Instance::status).orElse(null) == status);
        return this.runner.get(workflow, id).orElseThrow();
    }

    /** validate (blocks on the gate) -> pay (waits for paid) -> ship -> done. */
    private Workflow payment() {
        Step validate = TestSteps.step("validate", Set.of("valid"), (input) -> this.gate.await(StepResult.completed("valid")));
        WaitForEvent pay = WaitForEvent.of("pay", "paid");
        Step ship = TestSteps.emitting("ship", "shipped");
        return Workflow.builder("payment").businessKey("orderid").start(validate).transition(validate, "valid", pay)
            .transition(pay, "paid", ship).transition(ship, "shipped", Done.step()).build();
    }

    @Test
    void eventSentWhileTheInstanceStillRunsIsQueuedAndDeliveredWhenTheStepWaits() throws Exception {
        runner(payment());
        this.runner.start(StartRequest.of("payment", "ORD-1"));

        ResumeResult result = this.runner.resume(ResumeRequest.of("payment", "ORD-1", "paid").data(Map.of("ref", "p-9")));

        assertThat(result).isInstanceOf(ResumeResult.Queued.class);
        assertThat(result.isQueued()).isTrue();
        assertThat(result.instance().status()).isEqualTo(Status.RUNNING);
        assertThat(result.instance().queuedEvents()).extracting(QueuedEvent::event, QueuedEvent::step, QueuedEvent::data)
            .containsExactly(tuple("paid", "", Map.of("ref", "p-9")));
        assertThat(this.storage.get(result.instance().runId()).orElseThrow().queuedEvents()).hasSize(1);

        this.gate.release.countDown();
        Instance done = this.runner.awaitFinished("payment", "ORD-1", TIMEOUT);

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.queuedEvents()).isEmpty();
        assertThat(done.context().step("pay")).containsEntry("ref", "p-9");
        assertThat(done.history()).extracting(ExecutionEntry::step, ExecutionEntry::event, ExecutionEntry::kind)
            .containsExactly(tuple("validate", "valid", ExecutionEntry.Kind.COMPLETED),
                    tuple("pay", "paid", ExecutionEntry.Kind.COMPLETED),
                    tuple("ship", "shipped", ExecutionEntry.Kind.COMPLETED),
                    tuple("done", "done", ExecutionEntry.Kind.COMPLETED));
        assertThat(this.recorder.of(StepResume.class)).singleElement().satisfies((resume) -> {
            assertThat(resume.stepKey()).isEqualTo("pay");
            assertThat(resume.resumeEvent()).isEqualTo("paid");
            assertThat(resume.source()).isEqualTo(ResumeSource.EXTERNAL);
            assertThat(resume.waitDuration()).isZero();
        });
    }

    @Test
    void twoEventsSentBackToBackToTwoSequentialWaitsBothTakeEffectInOrder() throws Exception {
        WaitForEvent first = WaitForEvent.of("first", "next");
        WaitForEvent second = WaitForEvent.of("second", "next");
        runner(Workflow.builder("steps").businessKey("key").start(first).transition(first, "next", second)
            .transition(second, "next", Done.step()).build());
        this.runner.start(StartRequest.of("steps", "1"));

        ResumeResult one = this.runner.resume(ResumeRequest.of("steps", "1", "next").data(Map.of("n", 1)));
        ResumeResult two = this.runner.resume(ResumeRequest.of("steps", "1", "next").data(Map.of("n", 2)));

        assertThat(one.instance().revision()).isLessThan(two.instance().revision());
        Instance done = this.runner.awaitFinished("steps", "1", TIMEOUT);
        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.context().step("first")).containsEntry("n", 1);
        assertThat(done.context().step("second")).containsEntry("n", 2);
        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume("steps", "1", "next"))
            .withMessageContaining("is completed");
    }

    @Test
    void moreEventsThanStepsLeftToTakeThemAreRejected() {
        runner(payment());
        this.runner.start(StartRequest.of("payment", "2"));
        assertThat(this.runner.resume("payment", "2", "paid").isQueued()).isTrue();
        Instance before = this.runner.get("payment", "2").orElseThrow();

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume("payment", "2", "paid"))
            .withMessage("instance orderid::2 (payment) already holds queued 'paid' events for every step that can"
                    + " still take one");
        assertThat(this.runner.get("payment", "2")).contains(before);
    }

    @Test
    void eventNoRemainingStepAcceptsIsRejectedAtOnceListingTheAcceptedEvents() {
        runner(payment());
        this.runner.start(StartRequest.of("payment", "3"));
        Instance before = this.runner.get("payment", "3").orElseThrow();

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume("payment", "3", "teleported"))
            .withMessage("instance orderid::3 (payment) does not accept event 'teleported'; accepted now: [],"
                    + " later: [paid, shipped, valid]");
        assertThat(this.runner.get("payment", "3")).contains(before);
    }

    @Test
    void instanceThatFinishesWithQueuedEventsRecordsThemAsUnconsumed() throws Exception {
        Step route = TestSteps.step("route", Set.of("skip", "pay"),
                (input) -> this.gate.await(StepResult.completed("skip")));
        WaitForEvent pay = WaitForEvent.of("pay", "paid");
        runner(Workflow.builder("maybe").businessKey("key").start(route).transition(route, "skip", Done.step())
            .transition(route, "pay", pay).transition(pay, "paid", Done.step()).build());
        this.runner.start(StartRequest.of("maybe", "1"));
        assertThat(this.runner.resume(ResumeRequest.of("maybe", "1", "paid").data(Map.of("ref", "x"))).isQueued())
            .isTrue();

        this.gate.release.countDown();
        Instance done = this.runner.awaitFinished("maybe", "1", TIMEOUT);

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.queuedEvents()).isEmpty();
        assertThat(done.skippedSteps()).containsExactly("pay");
        assertThat(done.history()).last().satisfies((entry) -> {
            assertThat(entry.kind()).isEqualTo(ExecutionEntry.Kind.UNCONSUMED);
            assertThat(entry.event()).isEqualTo("paid");
            assertThat(entry.contextUpdates()).containsEntry("ref", "x");
        });
    }

    @Test
    void queuedEventsAreStoredAndDeliveredByTheNextRunnerOnTheSameStorage() throws Exception {
        runner(payment());
        this.runner.start(StartRequest.of("payment", "4"));
        assertThat(this.runner.resume("payment", "4", "paid").isQueued()).isTrue();
        // Shut down while validate still runs: the result is lost, the queued event is stored.
        this.runner.close();
        this.gate.release.countDown();

        runner(payment());
        Instance done = this.runner.awaitFinished("payment", "4", TIMEOUT);

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.completedSteps()).containsExactly("validate", "pay", "ship", "done");
    }

    @Test
    void waitTimerEventIsRefusedFromCallersAndTheWaitStillRunsItsCourse() throws Exception {
        Wait pause = Wait.of("pause", Duration.ofSeconds(1));
        runner(Workflow.builder("timed").businessKey("key").start(pause).transition(pause, "timeout", Done.step())
            .build());
        this.runner.start(StartRequest.of("timed", "1"));
        Instance waiting = awaitStatus("timed", "1", Status.WAITING);

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume("timed", "1", "timeout"))
            .withMessage("instance key::1 (timed) does not accept event 'timeout'; accepted now: [], later: []");
        assertThat(this.runner.get("timed", "1")).contains(waiting);

        this.scheduler.advance(Duration.ofSeconds(1));
        assertThat(this.runner.awaitFinished("timed", "1", TIMEOUT).status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void waitThatOptsInMayBeEndedByCallers() throws Exception {
        Wait pause = Wait.of("pause", Duration.ofHours(1)).resumableByCallers();
        runner(Workflow.builder("timed").businessKey("key").start(pause).transition(pause, "timeout", Done.step())
            .build());
        this.runner.start(StartRequest.of("timed", "1"));
        awaitStatus("timed", "1", Status.WAITING);

        assertThat(this.runner.resume("timed", "1", "timeout")).isInstanceOf(ResumeResult.Delivered.class);
        assertThat(this.runner.awaitFinished("timed", "1", TIMEOUT).status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void waitForEventTimeoutIsOnlyForItsTimer() throws Exception {
        WaitForEvent approval = WaitForEvent.of("approval", "approved").withTimeout(Duration.ofMinutes(5));
        runner(Workflow.builder("approve").businessKey("key").start(approval).transition(approval, "approved", Done.step())
            .transition(approval, "timeout", Done.step()).build());
        this.runner.start(StartRequest.of("approve", "1"));
        awaitStatus("approve", "1", Status.WAITING);

        assertThatExceptionOfType(IllegalResumeException.class)
            .isThrownBy(() -> this.runner.resume("approve", "1", "timeout"))
            .withMessageContaining("accepted now: [approved]");
        assertThat(this.runner.resume("approve", "1", "approved").instance().completedSteps()).contains("approval");
    }
}
