package io.hephaestus.core.runtime;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.Telemetry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how many storage writes the {@link LocalRunner} makes: the start is one write (the
 * instance is created with its first step dispatched), each step result one more, and the built-in
 * {@code Done} is applied within the last step's write.
 */
class RunnerWritesTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CountingStorage storage = new CountingStorage(new InMemoryStorage());

    private final RecordingListener recorder = new RecordingListener();

    private LocalRunner runner;

    @AfterEach
    void close() {
        if (this.runner != null) {
            this.runner.close();
        }
    }

    private LocalRunner runner(Workflow workflow) {
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("recorder", this.recorder);
        this.runner = LocalRunner.builder(WorkflowRegistry.of(workflow)).storage(this.storage).telemetry(telemetry)
            .threads(2).build();
        return this.runner;
    }

    private static Workflow line(int steps) {
        Workflow.Builder builder = null;
        Step previous = null;
        for (int i = 1; i <= steps; i++) {
            Step step = TestSteps.emitting("step_" + i, "done");
            builder = (builder == null) ? Workflow.builder("line").businessKey("key").start(step)
                    : builder.transition(previous, "done", step);
            previous = step;
        }
        return builder.transition(previous, "done", Done.step()).build();
    }

    @Test
    void aLineOfFiveStepsIsOneCreateAndFiveUpdates() throws Exception {
        runner(line(5));

        Instance started = this.runner.start(StartRequest.of("line", "1"));
        Instance finished = this.runner.awaitFinished("line", "1", TIMEOUT);

        assertThat(started.status()).isEqualTo(Status.RUNNING);
        assertThat(started.revision()).isEqualTo(1);
        assertThat(finished.status()).isEqualTo(Status.COMPLETED);
        assertThat(finished.completedSteps()).containsExactly("step_1", "step_2", "step_3", "step_4", "step_5",
                Done.KEY);
        assertThat(finished.revision()).isEqualTo(6);
        assertThat(this.storage.creates).hasValue(1);
        assertThat(this.storage.updates).hasValue(5);
        // The folded Done still reports its step span, once.
        assertThat(this.recorder.names()).containsSubsequence("hephaestus.step.start", "hephaestus.step.stop",
                "hephaestus.workflow.stop");
        assertThat(this.recorder.of(io.hephaestus.core.telemetry.StepStart.class))
            .filteredOn((start) -> start.stepKey().equals(Done.KEY))
            .singleElement();
        assertThat(this.recorder.of(io.hephaestus.core.telemetry.StepStop.class))
            .filteredOn((stop) -> stop.stepKey().equals(Done.KEY))
            .singleElement();
        // Seven advances (the start's, five results, Done's), counted from 1; the cluster runner
        // counts the same (ClusterRunnerH2Tests).
        assertThat(this.recorder.of(io.hephaestus.core.telemetry.EngineAdvance.class))
            .extracting(io.hephaestus.core.telemetry.EngineAdvance::iteration)
            .containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(this.recorder.of(io.hephaestus.core.telemetry.WorkflowStop.class)).singleElement()
            .extracting(io.hephaestus.core.telemetry.WorkflowStop::advanceCount)
            .isEqualTo(7);
    }

    @Test
    void aResumeOfALiveInstanceMakesNoQueryAndAppliesDoneInItsOwnWrite() throws Exception {
        Step before = TestSteps.emitting("before", "done");
        Step approval = WaitForEvent.of("approval", "approved");
        runner(Workflow.builder("approval").businessKey("key").start(before).transition(before, "done", approval)
            .transition(approval, "approved", Done.step()).build());

        this.runner.start(StartRequest.of("approval", "1"));
        await(() -> this.runner.get("approval", "1").orElseThrow().status() == Status.WAITING);
        int queries = this.storage.queries.get();
        this.runner.resume(ResumeRequest.of("approval", "1", "approved"));
        // The instance is live in this runner: the resume finds it without a query.
        assertThat(this.storage.queries).hasValue(queries);
        Instance finished = this.runner.awaitFinished("approval", "1", TIMEOUT);

        assertThat(finished.status()).isEqualTo(Status.COMPLETED);
        assertThat(finished.completedSteps()).endsWith(Done.KEY);
        assertThat(this.storage.creates).hasValue(1);
        // before's result, the wait parking, and the resume, which applies Done in the same write.
        assertThat(this.storage.updates).hasValue(3);
    }

    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in %s", TIMEOUT).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
