package io.hephaestus.benchmarks.runner;

import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.WorkflowException;

/**
 * {@link Completions} tells a benchmark thread when the instances it started have parked on their
 * wait step or completed, from the runner's own telemetry: it listens to
 * {@code hephaestus.step.async}, {@code hephaestus.workflow.stop} and
 * {@code hephaestus.workflow.exception} only, and counts down a latch per batch.
 *
 * <p>The runner emits both events once the new state is stored, so an instance counted as waiting
 * can be resumed. The listener's cost (building one event per instance and per wait, one latch
 * count-down) is part of the measurement and is small next to a step; a {@code CountDownLatch}
 * parks the waiting benchmark thread like {@code CompletableFuture.join} does in the
 * {@code futures} baseline.
 */
final class Completions {

    private static final String LISTENER = "benchmark-completions";

    private volatile CountDownLatch waiting = new CountDownLatch(0);

    private volatile CountDownLatch finished = new CountDownLatch(0);

    private volatile String failure = "";

    private Completions() {
    }

    /**
     * Return a tracker attached to the given dispatcher.
     * @param telemetry the runner's dispatcher
     * @return the tracker
     */
    static Completions attachTo(Telemetry telemetry) {
        Completions completions = new Completions();
        telemetry.attach(LISTENER, EnumSet.of(TelemetryEventType.STEP_ASYNC, TelemetryEventType.WORKFLOW_STOP,
                TelemetryEventType.WORKFLOW_EXCEPTION), completions::onEvent);
        return completions;
    }

    /**
     * Expect a new batch: {@code instances} instances that will each wait at most once and finish
     * once. Call before starting the batch.
     * @param instances the number of instances in the batch
     */
    void expect(int instances) {
        this.waiting = new CountDownLatch(instances);
        this.finished = new CountDownLatch(instances);
    }

    /**
     * Wait until every instance of the batch is parked on its wait step.
     */
    void awaitWaiting() {
        await(this.waiting, "waiting");
    }

    /**
     * Wait until every instance of the batch has finished.
     * @throws IllegalStateException if an instance failed
     */
    void awaitFinished() {
        await(this.finished, "finished");
        if (!this.failure.isEmpty()) {
            throw new IllegalStateException("a benchmark instance failed: " + this.failure);
        }
    }

    private void onEvent(TelemetryEvent event) {
        if (event.type() == TelemetryEventType.STEP_ASYNC) {
            this.waiting.countDown();
        }
        else {
            if (event instanceof WorkflowException exception) {
                this.failure = exception.failedStep() + ": " + exception.reason();
            }
            this.finished.countDown();
        }
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(RunnerBenchmarks.STUCK_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(latch.getCount() + " instances not " + what + " after "
                        + RunnerBenchmarks.STUCK_SECONDS + " s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for instances", ex);
        }
    }
}
