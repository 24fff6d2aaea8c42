package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link LocalRunner#whenFinished} of a run the runner drives completes after the
 * telemetry of the run's end, although the storage holds the end a moment before.
 */
class WhenFinishedTests {

    @Test
    void aRunThatEndsWhileItsStopEventIsEmittedIsFinishedOnlyAfterTheEvent() throws Exception {
        CountDownLatch stopping = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("slow-listener", Set.of(TelemetryEventType.WORKFLOW_STOP), (event) -> {
            stopping.countDown();
            try {
                Thread.sleep(300);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            stopped.set(true);
        });
        Step only = TestSteps.emitting("only", "done");
        Workflow workflow = Workflow.builder("single").businessKey("key").start(only)
            .transition(only, "done", Done.step()).build();
        try (LocalRunner runner = LocalRunner.builder(WorkflowRegistry.of(workflow)).telemetry(telemetry).build()) {
            runner.start(StartRequest.of("single", "1"));
            assertThat(stopping.await(10, TimeUnit.SECONDS)).as("workflow.stop emitted").isTrue();
            // The run is stored completed now, and its workflow.stop is still being emitted.
            assertThat(runner.get("single", "1").orElseThrow().status()).isEqualTo(Status.COMPLETED);

            Instance finished = runner.awaitFinished("single", "1", Duration.ofSeconds(10));

            assertThat(finished.status()).isEqualTo(Status.COMPLETED);
            assertThat(stopped).as("workflow.stop emitted before awaitFinished returned").isTrue();
        }
    }
}
