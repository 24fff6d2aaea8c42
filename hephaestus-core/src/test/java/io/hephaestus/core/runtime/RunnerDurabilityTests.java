package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.LogCapture;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the runner does around its storage: it retries writes the storage failed, deletes finished
 * instances after the retention period, and says what it recovered and what it leaves behind.
 */
class RunnerDurabilityTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SettableClock clock = SettableClock.startingAt("2026-01-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler(this.clock);

    private LocalRunner runner;

    @AfterEach
    void closeRunner() {
        if (this.runner != null) {
            this.runner.close();
        }
    }

    private static Workflow approval() {
        WaitForEvent approve = WaitForEvent.of("approve", "approved");
        return Workflow.builder("approval").businessKey("key").start(approve).transition(approve, "approved", Done.step())
            .build();
    }

    @Test
    void aStepResultTheStorageFailedToStoreIsStoredLaterAndTheStepRunsOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Step charge = TestSteps.step("charge", Set.of("charged"), (input) -> {
            runs.incrementAndGet();
            return StepResult.completed("charged", Map.of("id", input.idempotencyKey()));
        });
        FlakyStorage storage = new FlakyStorage(new InMemoryStorage());
        this.runner = LocalRunner.builder(WorkflowRegistry.of(Workflow.builder("pay").businessKey("key").start(charge)
            .transition(charge, "charged", Done.step()).build())).storage(storage).scheduler(this.scheduler)
            .clock(this.clock).threads(2).build();
        storage.failNextUpdates(3, (instance) -> instance.completedSteps().contains("charge"));

        Instance started = this.runner.start(StartRequest.of("pay", "1"));
        await().atMost(TIMEOUT).until(() -> storage.failures.get() == 1);
        for (int retry = 0; retry < 3; retry++) {
            this.scheduler.advance(Duration.ofSeconds(1));
            int expected = retry + 2;
            await().atMost(TIMEOUT).until(() -> storage.failures.get() >= Math.min(expected, 3)
                    || this.runner.get("pay", "1").orElseThrow().status() == Status.COMPLETED);
        }
        Instance done = this.runner.awaitFinished("pay", "1", TIMEOUT);

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(runs).hasValue(1);
        assertThat(done.context().step("charge")).containsEntry("id", started.runId() + "/charge/1");
        assertThat(storage.failures).hasValue(3);
    }

    @Test
    void aStepResultNeverStoredBeforeTheRunnerClosesIsRunAgainByTheNextRunner() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Step charge = TestSteps.step("charge", Set.of("charged"), (input) -> {
            runs.incrementAndGet();
            return StepResult.completed("charged");
        });
        Workflow pay = Workflow.builder("pay").businessKey("key").start(charge).transition(charge, "charged", Done.step())
            .build();
        FlakyStorage storage = new FlakyStorage(new InMemoryStorage());
        this.runner = LocalRunner.builder(WorkflowRegistry.of(pay)).storage(storage).scheduler(this.scheduler)
            .clock(this.clock).threads(2).build();
        storage.failNextUpdates(1_000, (instance) -> instance.completedSteps().contains("charge"));
        this.runner.start(StartRequest.of("pay", "1"));
        await().atMost(TIMEOUT).until(() -> storage.failures.get() >= 1);
        this.runner.close();
        storage.failNextUpdates(0, (instance) -> true);

        this.runner = LocalRunner.builder(WorkflowRegistry.of(pay)).storage(storage).scheduler(this.scheduler)
            .clock(this.clock).threads(2).build();

        assertThat(this.runner.awaitFinished("pay", "1", TIMEOUT).status()).isEqualTo(Status.COMPLETED);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aStartIsCreatedRunningInOneWriteAndAFirstResultTheStorageFailedToStoreIsStoredWhenItIsBack()
            throws Exception {
        FlakyStorage storage = new FlakyStorage(new InMemoryStorage());
        this.runner = LocalRunner.builder(WorkflowRegistry.of(approval())).storage(storage).scheduler(this.scheduler)
            .clock(this.clock).threads(2).build();
        storage.failNextUpdates(1, (instance) -> true);

        Instance started = this.runner.start(StartRequest.of("approval", "1"));

        assertThat(started.status()).isEqualTo(Status.RUNNING);
        assertThat(started.revision()).isEqualTo(1);
        await().atMost(TIMEOUT).until(() -> storage.failures.get() == 1);
        assertThat(storage.get(started.runId())).map(Instance::status).contains(Status.RUNNING);
        this.scheduler.advance(Duration.ofSeconds(1));
        await().atMost(TIMEOUT).until(() -> this.runner.get("approval", "1").orElseThrow().status() == Status.WAITING);
    }

    @Test
    void retentionSweepDeletesInstancesThatFinishedLongerAgoAndKeepsTheRest() throws Exception {
        InMemoryStorage storage = new InMemoryStorage();
        this.runner = LocalRunner.builder(WorkflowRegistry.of(approval())).storage(storage).scheduler(this.scheduler)
            .clock(this.clock).threads(2).retention(Duration.ofDays(1)).retentionSweepInterval(Duration.ofHours(1))
            .build();
        for (String id : List.of("old-1", "old-2", "waiting")) {
            this.runner.start(StartRequest.of("approval", id));
        }
        await().atMost(TIMEOUT).until(() -> storage.countByStatus("approval").get(Status.WAITING) == 3);
        this.runner.resume("approval", "old-1", "approved");
        this.runner.cancel("approval", "old-2");
        this.runner.awaitFinished("approval", "old-1", TIMEOUT);
        this.scheduler.advance(Duration.ofHours(20));
        this.runner.start(StartRequest.of("approval", "recent"));
        await().atMost(TIMEOUT).until(() -> storage.countByStatus("approval").get(Status.WAITING) == 2);
        this.runner.resume("approval", "recent", "approved");
        this.runner.awaitFinished("approval", "recent", TIMEOUT);

        this.scheduler.advance(Duration.ofHours(5));

        await().atMost(TIMEOUT).until(() -> this.runner.get("approval", "old-1").isEmpty()
                && this.runner.get("approval", "old-2").isEmpty());
        assertThat(this.runner.get("approval", "recent")).map(Instance::status).contains(Status.COMPLETED);
        assertThat(this.runner.get("approval", "waiting")).map(Instance::status).contains(Status.WAITING);
    }

    @Test
    void startAndShutdownSayWhatWasRecoveredAndWhatIsLost() {
        InMemoryStorage storage = new InMemoryStorage();
        try (LogCapture log = LogCapture.of(LocalRunner.class, Level.INFO)) {
            this.runner = LocalRunner.builder(WorkflowRegistry.of(approval())).storage(storage).threads(2).build();
            this.runner.start(StartRequest.of("approval", "1"));
            this.runner.start(StartRequest.of("approval", "2"));
            await().atMost(TIMEOUT).until(() -> storage.countByStatus("approval").get(Status.WAITING) == 2);
            this.runner.close();

            assertThat(log.events()).extracting((event) -> event.getLevel() + " " + event.getFormattedMessage())
                .containsExactly("INFO Runner 'hephaestus' started on in-memory storage 'in-memory': recovered 0 active"
                        + " instances (0 pending, 0 running, 0 waiting)",
                        "WARN Runner 'hephaestus' stopped with 2 active instances in storage 'in-memory', which keeps"
                                + " them in memory only: they are lost. Use a durable storage (hephaestus-jdbc) to keep"
                                + " them across restarts.");
        }
    }

    @Test
    void aRunnerOnADurableStorageSaysHowManyInstancesItRecoveredAndLeaves() {
        FlakyStorage storage = new FlakyStorage(new InMemoryStorage());
        this.runner = LocalRunner.builder(WorkflowRegistry.of(approval())).storage(storage).threads(2).build();
        this.runner.start(StartRequest.of("approval", "1"));
        await().atMost(TIMEOUT).until(() -> storage.countByStatus("approval").get(Status.WAITING) == 1);
        this.runner.close();
        try (LogCapture log = LogCapture.of(LocalRunner.class, Level.INFO)) {
            this.runner = LocalRunner.builder(WorkflowRegistry.of(approval())).storage(storage).threads(2).build();
            this.runner.close();

            assertThat(log.messages()).containsExactly(
                    "Runner 'hephaestus' started on durable storage 'flaky': recovered 1 active instances (0 pending,"
                            + " 0 running, 1 waiting)",
                    "Runner 'hephaestus' stopped: 1 active instances left in storage 'flaky' for the next runner");
        }
    }

    /**
     * A storage that pretends to be durable and fails a given number of updates, as a database that
     * is briefly unreachable would.
     */
    private static final class FlakyStorage extends ForwardingStorage {

        private final AtomicInteger toFail = new AtomicInteger();

        private volatile Predicate<Instance> failing = (instance) -> false;

        final AtomicInteger failures = new AtomicInteger();

        FlakyStorage(Storage delegate) {
            super(delegate);
        }

        void failNextUpdates(int count, Predicate<Instance> which) {
            this.failing = which;
            this.toFail.set(count);
        }

        @Override
        public Instance update(Instance instance) {
            if (this.failing.test(instance) && this.toFail.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
                this.failures.incrementAndGet();
                throw new StorageUnavailableException("database is down", new java.io.IOException("connection refused"));
            }
            return super.update(instance);
        }

        @Override
        public String name() {
            return "flaky";
        }
    }
}
