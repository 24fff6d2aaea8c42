package io.hephaestus.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.definition.UnknownWorkflowException;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.InstanceStateException;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.CountingStorage;
import io.hephaestus.core.runtime.InstanceNotFoundException;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.core.runtime.StepOutcome;
import io.hephaestus.core.runtime.StepTrigger;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.RunnerInit;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.jdbc.JdbcSchema;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One cluster node on an in-memory H2 database (db-scheduler's table from the shipped H2 script):
 * the runner works without PostgreSQL, announces its node, and rejects bad configuration.
 */
class ClusterRunnerH2Tests {

    private HikariDataSource h2;

    private JdbcStorage storage;

    private WorkflowRegistry registry;

    @BeforeEach
    void createTables() {
        this.h2 = TestDatabases.h2();
        JdbcSchema.apply(this.h2);
        ClusterSchema.apply(this.h2);
        this.storage = JdbcStorage.builder(this.h2).build();
        Step boom = new Step() {

            @Override
            public Set<String> events() {
                return Set.of("done");
            }

            @Override
            public String key() {
                return "boom";
            }

            @Override
            public StepResult execute(StepInput input) {
                throw new IllegalStateException("boom at attempt " + input.attempt());
            }
        };
        this.registry = WorkflowRegistry.of(ClusterWorkflow.create("solo", Duration.ofMillis(50), Duration.ZERO,
                ClusterWorkflow.Recorder.none()), Workflow.builder("boom").businessKey("boomid").start(boom)
                    .transition(boom, "done", Done.step()).build());
    }

    @AfterEach
    void closeDatabase() {
        this.h2.close();
    }

    @Test
    void nodeOnH2RunsFanOutJoinTimerAndEventToCompletionAndNamesItselfInRunnerInit() throws Exception {
        List<TelemetryEvent> inits = new CopyOnWriteArrayList<>();
        CountDownLatch stops = new CountDownLatch(5);
        EventCounter counter = new EventCounter(stops);
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("inits", Set.of(TelemetryEventType.RUNNER_INIT), inits::add);
        telemetry.attach("counter", counter);
        try (ClusterRunner runner = node().telemetry(telemetry).build()) {
            for (int i = 0; i < 5; i++) {
                runner.start(StartRequest.of(ClusterWorkflow.NAME, "h" + i));
                runner.resume(ClusterWorkflow.NAME, "h" + i, ClusterWorkflow.EVENT);
            }

            assertThat(EventCounter.await(stops, 30)).as("workflow.stop of every workflow").isTrue();
            for (int i = 0; i < 5; i++) {
                Instance done = runner.awaitFinished(ClusterWorkflow.NAME, "h" + i, Duration.ofSeconds(5));
                assertThat(done.status()).isEqualTo(Status.COMPLETED);
                assertThat(done.completedSteps()).containsExactlyInAnyOrderElementsOf(ClusterWorkflow.ALL_STEPS);
                assertThat(done.context().step("merge")).containsEntry("by", "solo");
            }
        }
        assertThat(inits).singleElement().isInstanceOfSatisfying(RunnerInit.class, (init) -> {
            assertThat(init.runnerName()).isEqualTo("solo");
            assertThat(init.runner()).isEqualTo(ClusterRunner.RUNNER);
            assertThat(init.storage()).isEqualTo("jdbc-h2");
        });
        assertThat(counter.count(TelemetryEventType.WORKFLOW_START)).isEqualTo(5);
        assertThat(counter.metadataOf(TelemetryEventType.WORKFLOW_STOP)).containsEntry("runner", "cluster");
    }

    @Test
    void stepThatThrowsFailsItsInstanceOnceWithTheStackTraceAndBadCallsAreRejected() throws Exception {
        CountDownLatch none = new CountDownLatch(0);
        EventCounter counter = new EventCounter(none);
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("counter", counter);
        try (ClusterRunner runner = node().telemetry(telemetry).build()) {
            runner.start(StartRequest.of("boom", "1"));
            Instance failed = runner.awaitFinished("boom", "1", Duration.ofSeconds(10));

            assertThat(failed.status()).isEqualTo(Status.FAILED);
            assertThat(failed.failure()).hasValueSatisfying((failure) -> {
                assertThat(failure.kind()).isEqualTo(FailureKind.EXCEPTION);
                assertThat(failure.reason()).isEqualTo("java.lang.IllegalStateException: boom at attempt 1");
                assertThat(failure.stackTrace()).contains("ClusterRunnerH2Tests");
            });
            // The failure is stored before its events are emitted: awaitFinished may return in between.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (counter.count(TelemetryEventType.WORKFLOW_EXCEPTION) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(counter.count(TelemetryEventType.WORKFLOW_EXCEPTION)).isEqualTo(1);
            assertThat(counter.metadataOf(TelemetryEventType.WORKFLOW_EXCEPTION)).containsEntry("failed_step", "boom")
                .containsEntry("runner", "cluster");
            assertThatThrownBy(() -> runner.start(StartRequest.of("nope", "1")))
                .isInstanceOf(UnknownWorkflowException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> runner.resume("boom", "2", "done")).isInstanceOf(InstanceNotFoundException.class)
                .hasMessage("no instance of workflow 'boom' has id 2");
            assertThatThrownBy(() -> runner.cancel("boom", "1")).isInstanceOf(InstanceStateException.class)
                .hasMessageContaining("it is failed");
        }
    }

    @Test
    void retentionSweepDeletesFinishedInstancesAndKeepsActiveOnes() throws Exception {
        try (ClusterRunner runner = node().retention(Duration.ofMillis(1))
            .retentionSweepInterval(Duration.ofMillis(100))
            .build()) {
            Instance waiting = runner.start(StartRequest.of(ClusterWorkflow.NAME, "kept"));
            Instance failed = runner.awaitFinished("boom", runner.start(StartRequest.of("boom", "1")).id(),
                    Duration.ofSeconds(10));
            assertThat(failed.status()).isEqualTo(Status.FAILED);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (this.storage.get(failed.runId()).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(this.storage.get(failed.runId())).as("the failed instance, swept").isEmpty();
            assertThat(this.storage.get(waiting.runId())).hasValueSatisfying(
                    (kept) -> assertThat(kept.status().isActive()).as("the active instance is kept").isTrue());
        }
    }

    @Test
    void stepInterceptorWrapsEveryStepSeesTheStoredTraceContextAndTheOutcome() throws Exception {
        List<StepExecution> executions = new CopyOnWriteArrayList<>();
        List<StepOutcome> outcomes = new CopyOnWriteArrayList<>();
        StepInterceptor interceptor = new StepInterceptor() {

            @Override
            public Map<String, String> currentContext() {
                return Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            }

            @Override
            public StepOutcome intercept(StepExecution execution, Invocation invocation) {
                executions.add(execution);
                StepOutcome outcome = invocation.proceed();
                outcomes.add(outcome);
                return outcome;
            }
        };
        try (ClusterRunner runner = node().stepInterceptor(interceptor).build()) {
            Instance started = runner.start(StartRequest.of("boom", "1"));
            Instance failed = runner.awaitFinished("boom", "1", Duration.ofSeconds(10));

            assertThat(started.traceContext()).isEqualTo(interceptor.currentContext());
            assertThat(failed.status()).isEqualTo(Status.FAILED);
            assertThat(failed.traceContext()).isEqualTo(interceptor.currentContext());
            assertThat(executions).singleElement().satisfies((execution) -> {
                assertThat(execution.stepKey()).isEqualTo("boom");
                assertThat(execution.attempt()).isEqualTo(1);
                assertThat(execution.trigger()).isEqualTo(StepTrigger.RECOVERY);
                assertThat(execution.traceContext()).isEqualTo(interceptor.currentContext());
            });
            assertThat(outcomes).singleElement().isInstanceOfSatisfying(StepOutcome.Threw.class,
                    (threw) -> assertThat(threw.cause()).hasMessage("boom at attempt 1"));
        }
    }

    @Test
    void linearChainRunsInlineWithinOneExecutionOfItsFirstStepTask() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        this.registry = WorkflowRegistry.of(chain(threads));
        try (ClusterRunner runner = node().build()) {
            runner.start(StartRequest.of("chain", "1"));
            Instance done = runner.awaitFinished("chain", "1", Duration.ofSeconds(10));

            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.completedSteps()).contains("step1", "step2", "step3", "step4", "step5");
            // One db-scheduler execution (one thread) ran the chain: no task per step.
            assertThat(threads).hasSize(5).containsOnly(threads.get(0));
        }
    }

    @Test
    void doneIsFoldedIntoTheLastStepsWriteWithTheTelemetryOfTwoChangesAndIsNeverIntercepted() throws Exception {
        this.registry = WorkflowRegistry.of(chain(new CopyOnWriteArrayList<>()));
        CountingStorage counting = new CountingStorage(this.storage);
        List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("all", (event) -> {
            events.add(event);
            if (event.type() == TelemetryEventType.WORKFLOW_STOP) {
                stopped.countDown();
            }
        });
        List<String> intercepted = new CopyOnWriteArrayList<>();
        StepInterceptor interceptor = (execution, invocation) -> {
            intercepted.add(execution.stepKey());
            return invocation.proceed();
        };
        // Polling rarely: the node's own poll reads no instance while the chain runs.
        try (ClusterRunner runner = ClusterRunner.builder(this.registry, counting, this.h2).name("solo").threads(4)
            .pollingInterval(Duration.ofSeconds(30)).shutdownGracePeriod(Duration.ofSeconds(1)).telemetry(telemetry)
            .stepInterceptor(interceptor).build()) {
            runner.start(StartRequest.of("chain", "1"));
            assertThat(stopped.await(10, TimeUnit.SECONDS)).as("workflow.stop").isTrue();
        }

        Instance done = this.storage.query(InstanceQuery.all().workflow("chain")).get(0);
        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.completedSteps()).containsExactly("step1", "step2", "step3", "step4", "step5", Done.KEY);
        // The create (the first step's start folded in), one update per step, none for Done.
        assertThat(counting.creates).hasValue(1);
        assertThat(counting.updates).hasValue(5);
        // The step task was picked by the node that stored the run just before: it started from that snapshot.
        assertThat(counting.gets).hasValue(0);
        assertThat(intercepted).containsExactly("step1", "step2", "step3", "step4", "step5");
        List<String> tail = events.stream()
            .filter((event) -> Set.of(TelemetryEventType.STEP_START, TelemetryEventType.STEP_STOP,
                    TelemetryEventType.ENGINE_ADVANCE, TelemetryEventType.WORKFLOW_STOP).contains(event.type()))
            .map((event) -> event.name() + Optional.ofNullable(event.metadata().get("step_key")).map((key) -> " " + key)
                .orElse(""))
            .toList();
        assertThat(tail.subList(tail.size() - 6, tail.size())).containsExactly("hephaestus.step.stop step5",
                "hephaestus.engine.advance", "hephaestus.step.start done", "hephaestus.step.stop done",
                "hephaestus.engine.advance", "hephaestus.workflow.stop");
        List<Object> iterations = events.stream()
            .filter((event) -> event.type() == TelemetryEventType.ENGINE_ADVANCE)
            .map((event) -> event.metadata().get("iteration"))
            .toList();
        assertThat(iterations).containsExactly(1, 2, 3, 4, 5, 6, 7);
        TelemetryEvent stop = events.stream().filter((event) -> event.type() == TelemetryEventType.WORKFLOW_STOP)
            .findFirst().orElseThrow();
        assertThat(stop.measurements()).containsEntry("advance_count", 7);
    }

    @Test
    void stepTaskStartedFromAStaleSnapshotOfItsNodeReadsAgainAndAppliesItsResultOnce() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        this.registry = WorkflowRegistry.of(chain(threads));
        CountingStorage counting = new CountingStorage(this.storage);
        ClusterTasks tasks = ClusterTasks.create();
        Scheduler scheduler = Scheduler.create(this.h2, tasks.all())
            .pollingInterval(Duration.ofMillis(50))
            .alwaysPersistTimestampInUTC()
            .enableImmediateExecution()
            .build();
        try (ClusterRunner runner = ClusterRunner.builder(this.registry, counting, this.h2).name("solo")
            .pollingInterval(Duration.ofSeconds(30)).scheduler(scheduler, tasks).build()) {
            // The node stores the run and keeps its snapshot; its scheduler does not run the first step's task yet.
            Instance started = runner.start(StartRequest.of("chain", "1"));
            // Meanwhile another node stores a change of the run: the node's snapshot is stale.
            Instance changed = this.storage.update(this.storage.get(started.runId()).orElseThrow());
            assertThat(changed.revision()).isEqualTo(started.revision() + 1);
            scheduler.start();
            Instance done = runner.awaitFinished("chain", "1", Duration.ofSeconds(10));

            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.completedSteps()).containsExactly("step1", "step2", "step3", "step4", "step5", Done.KEY);
            assertThat(done.history().stream().filter((entry) -> entry.step().equals("step1")).count())
                .as("step1's result is applied once").isEqualTo(1);
            assertThat(threads).as("every step runs once").hasSize(5);
            // step1's result on the stale snapshot was rejected, read again (one read) and applied: 5 + 1 updates.
            assertThat(counting.updates).hasValue(6);
            assertThat(counting.gets.get()).isGreaterThanOrEqualTo(1);
        }
        finally {
            scheduler.stop();
        }
    }

    @Test
    void branchesFinishingAtOnceOnOneNodeWriteInTurnsWithoutARejectedWrite() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ClusterWorkflow.Recorder recorder = (input, node) -> {
            if (input.step().equals("left") || input.step().equals("right")) {
                try {
                    together.await(10, TimeUnit.SECONDS);
                }
                catch (Exception ex) {
                    throw new IllegalStateException("the branches did not run at once", ex);
                }
            }
        };
        this.registry = WorkflowRegistry.of(ClusterWorkflow.create("solo", Duration.ofMillis(50), Duration.ZERO, recorder));
        CountingStorage counting = new CountingStorage(this.storage);
        try (ClusterRunner runner = ClusterRunner.builder(this.registry, counting, this.h2).name("solo").threads(4)
            .pollingInterval(Duration.ofMillis(50)).shutdownGracePeriod(Duration.ofSeconds(1)).build()) {
            runner.start(StartRequest.of(ClusterWorkflow.NAME, "1"));
            // The event once the run waits for it, so that the branches are only this node's step executions.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!runner.get(ClusterWorkflow.NAME, "1").orElseThrow().waitingSteps().containsKey("confirm")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            runner.resume(ClusterWorkflow.NAME, "1", ClusterWorkflow.EVENT);
            Instance done = runner.awaitFinished(ClusterWorkflow.NAME, "1", Duration.ofSeconds(10));

            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.completedSteps()).containsExactlyInAnyOrderElementsOf(ClusterWorkflow.ALL_STEPS);
            // left and right ended at once, both from the snapshot of the fan-out: the second wrote after the first,
            // on the snapshot the first stored.
            assertThat(counting.stale).hasValue(0);
        }
    }

    @Test
    void rowsOfStepTasksThatEndedTheirRunAreRemovedInBatchesAndAtClose() throws Exception {
        this.registry = WorkflowRegistry.of(chain(new CopyOnWriteArrayList<>()));
        try (ClusterRunner runner = node().build()) {
            for (int i = 0; i < 10; i++) {
                runner.start(StartRequest.of("chain", "a" + i));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(runner.awaitFinished("chain", "a" + i, Duration.ofSeconds(10)).status())
                    .isEqualTo(Status.COMPLETED);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (stepRows() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(stepRows()).as("rows of the step tasks left after their runs ended").isZero();

            for (int i = 0; i < 10; i++) {
                runner.start(StartRequest.of("chain", "b" + i));
            }
            for (int i = 0; i < 10; i++) {
                runner.awaitFinished("chain", "b" + i, Duration.ofSeconds(10));
            }
        }
        // Closing removes the rows still waiting for their batch.
        assertThat(stepRows()).isZero();
    }

    private int stepRows() throws SQLException {
        try (Connection connection = this.h2.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT COUNT(*) FROM " + ClusterSchema.DEFAULT_TABLE_NAME + " WHERE task_name = ?")) {
            statement.setString(1, ClusterTasks.STEP_TASK);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Test
    void closedNodeRejectsWorkAndRunIdsWithASlashAreRejected() {
        ClusterRunner runner = node().runIds(() -> "a/b").build();
        try {
            assertThatIllegalStateException().isThrownBy(() -> runner.start(StartRequest.of(ClusterWorkflow.NAME, "x")))
                .withMessageContaining("run id generator returned 'a/b'");
        }
        finally {
            runner.close();
        }
        assertThat(runner.isAccepting()).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> runner.start(StartRequest.of(ClusterWorkflow.NAME, "y")))
            .withMessage("cluster runner 'solo' is closed and accepts no more work");
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        ClusterRunner.Builder builder = node();
        assertThatIllegalArgumentException().isThrownBy(() -> builder.threads(0))
            .withMessage("threads must be positive, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.missedHeartbeatsLimit(3))
            .withMessage("missedHeartbeatsLimit must be at least 4 (db-scheduler's minimum), got 3");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.pollingInterval(Duration.ZERO))
            .withMessage("pollingInterval must be positive, got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.heartbeatInterval(Duration.ofSeconds(-1)))
            .withMessage("heartbeatInterval must be positive, got PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.name(" "))
            .withMessage("the node name must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.tableName("Tasks"))
            .withMessageContaining("invalid db-scheduler table name 'Tasks'");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maxValueSize(0))
            .withMessage("maxValueSize must be positive, got 0");
    }

    /**
     * Return workflow {@code chain}: five steps in a line, each recording its thread, then {@code Done}.
     */
    private static Workflow chain(List<String> threads) {
        Workflow.Builder chain = Workflow.builder("chain").businessKey("chainid");
        Step previous = null;
        for (int i = 1; i <= 5; i++) {
            String key = "step" + i;
            Step step = new Step() {

                @Override
                public Set<String> events() {
                    return Set.of("next");
                }

                @Override
                public String key() {
                    return key;
                }

                @Override
                public StepResult execute(StepInput input) {
                    threads.add(Thread.currentThread().getName());
                    return StepResult.completed("next");
                }
            };
            if (previous == null) {
                chain.start(step);
            }
            else {
                chain.transition(previous, "next", step);
            }
            previous = step;
        }
        chain.transition(previous, "next", Done.step());
        return chain.build();
    }

    @Test
    void aResumeOnAnotherNodeWhileABranchRunsDoesNotRunThatBranchAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> slowRuns = new CopyOnWriteArrayList<>();
        try (ClusterRunner a = twoBranchNode("a", slowRuns, release); ClusterRunner b = twoBranchNode("b", slowRuns, release)) {
            a.start(StartRequest.of("fan", "1"));
            awaitCondition(() -> slowRuns.size() == 1
                    && a.get("fan", "1").orElseThrow().waitingSteps().containsKey("approval"));
            ClusterRunner other = slowRuns.get(0).equals("a") ? b : a;

            other.resume("fan", "1", "approved");
            // A second execution of the running branch would start within a few polling intervals.
            Thread.sleep(500);
            List<String> whileRunning = List.copyOf(slowRuns);
            release.countDown();
            Instance done = a.awaitFinished("fan", "1", Duration.ofSeconds(10));

            assertThat(whileRunning).as("executions of the branch running when the event came").hasSize(1);
            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(slowRuns).hasSize(1);
        }
    }

    /**
     * A node of a workflow whose fan-out runs a slow branch, which records the node and waits for
     * {@code release}, beside a branch that waits for the event {@code approved}.
     */
    private ClusterRunner twoBranchNode(String name, List<String> slowRuns, CountDownLatch release) {
        Step start = simple("start", "go", () -> {
        });
        Step slow = simple("slow", "done", () -> {
            slowRuns.add(name);
            try {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        WaitForEvent approval = WaitForEvent.of("approval", "approved");
        Step join = simple("join", "done", () -> {
        });
        Workflow fan = Workflow.builder("fan").businessKey("fanid").start(start).transition(start, "go", slow, approval)
            .transition(slow, "done", join).transition(approval, "approved", join).transition(join, "done", Done.step())
            .build();
        return ClusterRunner.builder(WorkflowRegistry.of(fan), this.storage, this.h2).name(name).threads(4)
            .pollingInterval(Duration.ofMillis(50)).shutdownGracePeriod(Duration.ofSeconds(1)).build();
    }

    private static Step simple(String key, String event, Runnable body) {
        return new Step() {

            @Override
            public Set<String> events() {
                return Set.of(event);
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public StepResult execute(StepInput input) {
                body.run();
                return StepResult.completed(event);
            }
        };
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private ClusterRunner.Builder node() {
        return ClusterRunner.builder(this.registry, this.storage, this.h2)
            .name("solo")
            .threads(4)
            .pollingInterval(Duration.ofMillis(50))
            .shutdownGracePeriod(Duration.ofSeconds(1));
    }
}
