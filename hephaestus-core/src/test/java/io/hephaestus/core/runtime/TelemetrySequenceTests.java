package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.Wait;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.EngineAdvance;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exact telemetry a representative workflow emits, in order, with the measurements and metadata
 * of every event type. A single-threaded executor makes the order deterministic.
 */
class TelemetrySequenceTests {

    private final SettableClock clock = SettableClock.startingAt("2026-01-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler(this.clock);

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    private final Telemetry telemetry = Telemetry.create();

    private final RecordingListener recorder = new RecordingListener();

    private LocalRunner runner;

    @AfterEach
    void close() {
        this.runner.close();
        this.executor.shutdownNow();
    }

    private static Workflow order() {
        Step validate = TestSteps.emitting("validate", "valid");
        WaitForEvent charge = WaitForEvent.of("charge", "payment_confirmed");
        Step reserve = TestSteps.step("reserve", Set.of("reserved"),
                (input) -> StepResult.completed("reserved", Map.of("slot", 7), Map.of("warehouse", "north")));
        Step ship = TestSteps.emitting("ship", "shipped");
        Wait pause = Wait.of("pause", Duration.ofSeconds(5));
        Step notify = TestSteps.step("notify", Set.of("notified"), (input) -> StepResult.completed("notified"));
        return Workflow.builder("order").businessKey("orderid").start(validate)
            .transition(validate, "valid", charge, reserve).transition(charge, "payment_confirmed", ship)
            .transition(reserve, "reserved", ship).transition(ship, "shipped", pause)
            .transition(pause, Wait.TIMEOUT, notify).transition(notify, "notified", Done.step())
            .build();
    }

    private static Workflow failing() {
        Step broken = TestSteps.step("broken", Set.of("never"), (input) -> {
            throw new IllegalStateException("boom");
        });
        return Workflow.builder("failing").businessKey("id").start(broken).transition(broken, "never", Done.step())
            .build();
    }

    private LocalRunner runner() {
        this.telemetry.attach("recorder", this.recorder);
        this.runner = LocalRunner.builder(WorkflowRegistry.of(order(), failing())).telemetry(this.telemetry)
            .executor(this.executor).scheduler(this.scheduler).clock(this.clock).ticker(new FixedTicker(1_000))
            .build();
        return this.runner;
    }

    private Instance awaitStatus(String workflow, String id, Status status) {
        return await().until(() -> this.runner.get(workflow, id).orElseThrow(), (i) -> i.status() == status);
    }

    @Test
    void representativeWorkflowEmitsEveryEventInOrder() {
        runner();
        this.runner.start(StartRequest.of("order", "1").context(Map.of("items", 2))
            .telemetryMetadata(Map.of("tenant", "acme")));
        awaitStatus("order", "orderid::1", Status.WAITING);
        this.clock.advance(Duration.ofSeconds(2));
        this.runner.resume("order", "orderid::1", "payment_confirmed");
        awaitStatus("order", "orderid::1", Status.WAITING);
        this.scheduler.advance(Duration.ofSeconds(5));
        awaitStatus("order", "orderid::1", Status.COMPLETED);
        await().until(() -> this.recorder.count(TelemetryEventType.WORKFLOW_STOP) == 1);

        assertThat(this.recorder.events()).extracting(TelemetrySequenceTests::describe).containsExactly(
                "hephaestus.runner.init",
                "hephaestus.workflow.start",
                "hephaestus.engine.advance pending->running",
                "hephaestus.step.start validate",
                "hephaestus.step.stop validate",
                "hephaestus.workflow.transition validate->[charge, reserve]",
                "hephaestus.engine.advance running->running",
                "hephaestus.step.start charge",
                "hephaestus.step.async charge",
                "hephaestus.engine.advance running->running",
                "hephaestus.step.start reserve",
                "hephaestus.step.stop reserve",
                "hephaestus.workflow.transition reserve->[]",
                "hephaestus.engine.advance running->waiting",
                "hephaestus.step.resume charge",
                "hephaestus.workflow.transition charge->[ship]",
                "hephaestus.engine.advance waiting->running",
                "hephaestus.step.start ship",
                "hephaestus.step.stop ship",
                "hephaestus.workflow.transition ship->[pause]",
                "hephaestus.engine.advance running->running",
                "hephaestus.step.start pause",
                "hephaestus.step.async pause",
                "hephaestus.engine.advance running->waiting",
                "hephaestus.step.resume pause",
                "hephaestus.workflow.transition pause->[notify]",
                "hephaestus.engine.advance waiting->running",
                "hephaestus.step.start notify",
                "hephaestus.step.stop notify",
                "hephaestus.workflow.transition notify->[done]",
                "hephaestus.engine.advance running->running",
                "hephaestus.step.start done",
                "hephaestus.step.stop done",
                "hephaestus.workflow.transition done->[]",
                "hephaestus.engine.advance running->completed",
                "hephaestus.workflow.stop");

        assertMeasurements(TelemetryEventType.RUNNER_INIT, "system_time");
        assertMeasurements(TelemetryEventType.WORKFLOW_START, "system_time");
        assertMeasurements(TelemetryEventType.ENGINE_ADVANCE, "duration", "active_steps_count", "completed_in_advance");
        assertMeasurements(TelemetryEventType.STEP_START, "system_time");
        assertMeasurements(TelemetryEventType.STEP_STOP, "duration");
        assertMeasurements(TelemetryEventType.STEP_ASYNC, "duration");
        assertMeasurements(TelemetryEventType.STEP_RESUME, "system_time", "wait_duration");
        assertMeasurements(TelemetryEventType.WORKFLOW_TRANSITION, "system_time", "targets_count");
        assertMeasurements(TelemetryEventType.WORKFLOW_STOP, "duration", "step_count", "advance_count");

        List<TelemetryEvent> events = this.recorder.events();
        assertThat(events.get(0).metadata()).containsOnlyKeys("name", "runner", "storage", "pid")
            .containsEntry("runner", "local").containsEntry("storage", "in-memory");
        for (TelemetryEvent event : events.subList(1, events.size())) {
            assertThat(event.metadata()).as(event.name()).containsEntry("instance_id", "orderid::1")
                .containsEntry("workflow", "order").containsEntry("workflow_version", 1)
                .containsEntry("tenant", "acme");
        }
        TelemetryEvent fanOut = events.get(5);
        assertThat(fanOut.measurements()).containsEntry("targets_count", 2);
        assertThat(fanOut.metadata()).containsEntry("fan_out", true).containsEntry("from_step", "validate")
            .containsEntry("event", "valid");
        TelemetryEvent chargeStart = events.get(7);
        assertThat(chargeStart.metadata()).containsEntry("step", "Charge").containsEntry("step_key", "charge")
            .containsEntry("concurrent", true).containsEntry("active_steps_count", 2).containsEntry("attempt", 1);
        assertThat(events.get(8).metadata()).containsEntry("instance_status", "running");
        assertThat(events.get(11).metadata()).containsEntry("has_context_updates", true)
            .containsEntry("has_metadata_updates", true).containsEntry("transitions_to", List.of());
        assertThat(events.get(14).measurements()).containsEntry("wait_duration", Duration.ofSeconds(2).toNanos());
        assertThat(events.get(14).metadata()).containsEntry("source", "external")
            .containsEntry("resume_event", "payment_confirmed");
        assertThat(events.get(22).metadata()).containsEntry("instance_status", "waiting");
        assertThat(events.get(24).measurements()).containsEntry("wait_duration", Duration.ofSeconds(5).toNanos());
        assertThat(events.get(24).metadata()).containsEntry("source", "timeout").containsEntry("resume_event", "timeout");
        assertThat(events.get(34).measurements()).containsEntry("completed_in_advance", 1)
            .containsEntry("active_steps_count", 0);
        assertThat(events.get(34).metadata()).containsEntry("iteration", 10);
        TelemetryEvent stop = events.get(35);
        assertThat(stop.measurements()).containsEntry("duration", Duration.ofSeconds(7).toNanos())
            .containsEntry("step_count", 7).containsEntry("advance_count", 10);
        assertThat(stop.metadata()).containsEntry("status", "completed").containsEntry("runner", "local")
            .containsEntry("completed_steps", List.of("validate", "reserve", "charge", "ship", "pause", "notify", "done"));
        assertThat(this.recorder.of(EngineAdvance.class)).extracting(EngineAdvance::duration).containsOnly(1_000L);
    }

    @Test
    void failingStepEmitsStepExceptionThenWorkflowException() {
        runner();
        this.runner.start(StartRequest.of("failing", "1"));
        awaitStatus("failing", "id::1", Status.FAILED);
        await().until(() -> this.recorder.count(TelemetryEventType.WORKFLOW_EXCEPTION) == 1);
        assertThat(this.recorder.names()).containsSubsequence("hephaestus.step.start", "hephaestus.step.exception",
                "hephaestus.engine.advance", "hephaestus.workflow.exception");
        TelemetryEvent stepException = this.recorder.events().stream()
            .filter((e) -> e.type() == TelemetryEventType.STEP_EXCEPTION).findFirst().orElseThrow();
        assertThat(stepException.measurements()).containsOnlyKeys("duration").containsEntry("duration", 1_000L);
        assertThat(stepException.metadata()).containsEntry("kind", "exception")
            .containsEntry("reason", "java.lang.IllegalStateException: boom").containsEntry("will_retry", false)
            .containsEntry("attempt", 1);
        TelemetryEvent workflowException = this.recorder.events().get(this.recorder.events().size() - 1);
        assertThat(workflowException.type()).isEqualTo(TelemetryEventType.WORKFLOW_EXCEPTION);
        assertThat(workflowException.measurements()).containsOnlyKeys("duration");
        assertThat(workflowException.metadata()).containsEntry("failed_step", "broken").containsEntry("kind", "exception")
            .containsEntry("status", "failed").containsEntry("step_count", 0)
            .containsEntry("reason", "java.lang.IllegalStateException: boom");
        assertThat((List<?>) workflowException.metadata().get("stacktrace")).isNotEmpty();
    }

    @Test
    void cancellingEmitsWorkflowCancelLast() {
        runner();
        this.runner.start(StartRequest.of("order", "1").context(Map.of("items", 2)));
        awaitStatus("order", "orderid::1", Status.WAITING);
        this.clock.advance(Duration.ofSeconds(3));
        this.runner.cancel("order", "orderid::1");
        List<TelemetryEvent> events = this.recorder.events();
        TelemetryEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(TelemetryEventType.WORKFLOW_CANCEL);
        assertThat(last.measurements()).containsOnlyKeys("duration").containsEntry("duration",
                Duration.ofSeconds(3).toNanos());
        assertThat(last.metadata()).containsEntry("status", "cancelled").containsEntry("active_steps", List.of("charge"));
    }

    private void assertMeasurements(TelemetryEventType type, String... keys) {
        assertThat(this.recorder.events()).filteredOn((event) -> event.type() == type).isNotEmpty()
            .allSatisfy((event) -> assertThat(event.measurements()).containsOnlyKeys(keys));
    }

    private static String describe(TelemetryEvent event) {
        Map<String, Object> metadata = event.metadata();
        return switch (event.type()) {
            case ENGINE_ADVANCE -> event.name() + " " + metadata.get("status_before") + "->" + metadata.get("status_after");
            case STEP_START, STEP_STOP, STEP_ASYNC, STEP_RESUME, STEP_EXCEPTION -> event.name() + " " + metadata.get("step_key");
            case WORKFLOW_TRANSITION -> event.name() + " " + metadata.get("from_step") + "->" + metadata.get("targets");
            default -> event.name();
        };
    }

    /** A ticker that advances by a fixed step on every read, so every measured duration is that step. */
    private static final class FixedTicker implements java.util.function.LongSupplier {

        private final long step;

        private long now;

        FixedTicker(long step) {
            this.step = step;
        }

        @Override
        public synchronized long getAsLong() {
            this.now += this.step;
            return this.now;
        }
    }
}
