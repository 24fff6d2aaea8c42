package io.hephaestus.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.IllegalResumeException;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.ResumeResult;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.Wait;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.jdbc.testing.RequiresPostgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Two cluster nodes in one JVM, each with its own pool and db-scheduler scheduler, on one
 * PostgreSQL database: cancel, retry, timers, {@code whenFinished} and the check task across nodes.
 */
@RequiresPostgresql
class ClusterRunnerTests {

    private final ClusterFixture cluster = new ClusterFixture("runner");

    @AfterEach
    void closeCluster() {
        this.cluster.close();
    }

    @Test
    void cancelOnAnotherNodeCancelsAtOnceInterruptsTheStepAndRecordsItsLateResultAsIgnored() throws Exception {
        Holding holding = new Holding();
        CountDownLatch stops = new CountDownLatch(0);
        EventCounter eventsA = new EventCounter(stops);
        EventCounter eventsB = new EventCounter(stops);
        TelemetryListener stepStop = (event) -> holding.stopped.countDown();
        ClusterRunner a = node("a", holding.workflow("a"), eventsA, stepStop);
        ClusterRunner b = node("b", holding.workflow("b"), eventsB, stepStop);

        Instance started = a.start(StartRequest.of("hold", "1"));
        assertThat(holding.started.await(10, TimeUnit.SECONDS)).as("the step started on some node").isTrue();
        boolean onA = holding.node.get().equals("a");
        ClusterRunner other = onA ? b : a;
        EventCounter ownerEvents = onA ? eventsA : eventsB;

        Instance cancelled = other.cancel("hold", "1");

        assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
        assertThat(this.cluster.storage().get(started.runId()).orElseThrow().status()).isEqualTo(Status.CANCELLED);
        assertThat(holding.interrupted.await(10, TimeUnit.SECONDS)).as("the running node interrupted the step").isTrue();
        holding.release.countDown();
        assertThat(holding.stopped.await(10, TimeUnit.SECONDS)).as("step.stop of the late result").isTrue();
        Instance after = this.cluster.storage().get(started.runId()).orElseThrow();
        assertThat(after.status()).isEqualTo(Status.CANCELLED);
        assertThat(after.history()).extracting(ExecutionEntry::step, ExecutionEntry::kind)
            .containsExactly(tuple("hold", ExecutionEntry.Kind.IGNORED));
        assertThat(after.completedSteps()).doesNotContain("hold");
        assertThat(after.context().step("hold")).isEmpty();
        assertThat(eventsA.count(TelemetryEventType.WORKFLOW_CANCEL) + eventsB.count(TelemetryEventType.WORKFLOW_CANCEL))
            .isEqualTo(1);
        assertThat(ownerEvents.count(TelemetryEventType.STEP_STOP)).isEqualTo(1);
    }

    @Test
    void retryAfterItsBackoffRunsOnAnotherNodeWhenTheFirstIsGone() throws Exception {
        List<String> attempts = new CopyOnWriteArrayList<>();
        List<Instant> startedAt = new CopyOnWriteArrayList<>();
        CountDownLatch firstAttempt = new CountDownLatch(1);
        ClusterRunner a = node("a", flaky("a", attempts, startedAt, firstAttempt), new EventCounter(new CountDownLatch(0)));

        Instance started = a.start(StartRequest.of("flaky", "1"));
        assertThat(firstAttempt.await(10, TimeUnit.SECONDS)).isTrue();
        a.close();
        ClusterRunner b = node("b", flaky("b", attempts, startedAt, new CountDownLatch(1)),
                new EventCounter(new CountDownLatch(0)));
        Instance done = b.awaitFinished("flaky", "1", Duration.ofSeconds(20));

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(attempts).containsExactly("1 on a", "2 on b");
        assertThat(done.failures()).extracting(Failure::step, Failure::attempt, Failure::kind)
            .containsExactly(tuple("flaky", 1, FailureKind.ERROR));
        Instant due = done.failures().get(0).timestamp().plus(Flaky.BACKOFF);
        assertThat(startedAt.get(1)).as("the retry waits for its backoff").isAfterOrEqualTo(due.minusMillis(1));
        assertThat(done.runId()).isEqualTo(started.runId());
    }

    @Test
    void stepThatExceedsItsTimeoutIsInterruptedFailsAsTimeoutAndIsRetried() throws Exception {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        EventCounter events = new EventCounter(new CountDownLatch(0));
        ClusterRunner a = node("a", slow(outcomes), events);

        a.start(StartRequest.of("slow", "1"));
        Instance done = a.awaitFinished("slow", "1", Duration.ofSeconds(20));

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(outcomes).containsExactly("1 interrupted", "2 completed");
        assertThat(done.failures()).singleElement().satisfies((failure) -> {
            assertThat(failure.attempt()).isEqualTo(1);
            assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(failure.reason()).isEqualTo("step slow timed out after PT0.3S");
        });
        assertThat(events.count(TelemetryEventType.STEP_EXCEPTION)).isEqualTo(1);
        assertThat(events.metadataOf(TelemetryEventType.STEP_EXCEPTION)).containsEntry("kind", "timeout")
            .containsEntry("will_retry", true);
    }

    @Test
    void timerFiresOnceWhileTwoNodesPoll() throws Exception {
        int count = 20;
        CountDownLatch stops = new CountDownLatch(count);
        EventCounter eventsA = new EventCounter(stops);
        EventCounter eventsB = new EventCounter(stops);
        ClusterRunner a = node("a", pause(), eventsA);
        ClusterRunner b = node("b", pause(), eventsB);

        for (int i = 0; i < count; i++) {
            ((i % 2 == 0) ? a : b).start(StartRequest.of("pause", "p" + i));
        }

        assertThat(EventCounter.await(stops, 30)).as("every workflow stopped").isTrue();
        for (int i = 0; i < count; i++) {
            Instance instance = a.get("pause", "p" + i).orElseThrow();
            assertThat(instance.status()).isEqualTo(Status.COMPLETED);
            assertThat(instance.history()).filteredOn((entry) -> entry.step().equals("pause")).hasSize(1);
            assertThat(eventsA.count(instance.id(), TelemetryEventType.STEP_RESUME)
                    + eventsB.count(instance.id(), TelemetryEventType.STEP_RESUME))
                .as("timer of %s fired", instance.id()).isEqualTo(1);
        }
        assertThat(eventsA.count(TelemetryEventType.WORKFLOW_STOP) + eventsB.count(TelemetryEventType.WORKFLOW_STOP))
            .isEqualTo(count);
    }

    @Test
    void whenFinishedCompletesForARunAnotherNodeFinishedAndResumeOfItIsRejected() throws Exception {
        ClusterRunner a = node("a", awaiting(), new EventCounter(new CountDownLatch(0)));
        ClusterRunner b = node("b", awaiting(), new EventCounter(new CountDownLatch(0)));
        a.start(StartRequest.of("await", "1"));
        CompletableFuture<Instance> finished = a.whenFinished("await", "1");

        Instance cancelled = b.cancel("await", "1");

        assertThat(finished.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.CANCELLED);
        assertThat(finished.get().runId()).isEqualTo(cancelled.runId());
        assertThatThrownBy(() -> a.resume("await", "1", "received")).isInstanceOf(IllegalResumeException.class)
            .hasMessageContaining("it is cancelled");
    }

    @Test
    void eventSentToAnotherNodeReachesTheStepWhetherItWaitsYetOrNot() throws Exception {
        ClusterRunner a = node("a", awaiting(), new EventCounter(new CountDownLatch(0)));
        ClusterRunner b = node("b", awaiting(), new EventCounter(new CountDownLatch(0)));
        Instance started = a.start(StartRequest.of("await", "2"));
        ResumeResult result = b.resume("await", started.id(), "received");

        Instance done = a.awaitFinished("await", "2", Duration.ofSeconds(10));

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.completedSteps()).contains("wait_here", "done");
        assertThat(result.instance().runId()).isEqualTo(started.runId());
        assertThat(this.cluster.tasks(ClusterTasks.CHECK_TASK)).as("check tasks left").isZero();
    }

    @Test
    void checkTaskStartsARunItsStartingNodeLeftPendingOnAGivenScheduler() throws Exception {
        HikariDataSource pool = this.cluster.pool("given", 12);
        ClusterTasks tasks = ClusterTasks.create();
        Scheduler scheduler = Scheduler.create(pool, tasks.all())
            .tableName(this.cluster.tasksTable())
            .pollingInterval(ClusterFixture.POLLING)
            .build();
        JdbcStorage storage = JdbcStorage.builder(pool).tableName(this.cluster.instancesTable()).build();
        WorkflowRegistry registry = awaiting();
        ClusterRunner runner = this.cluster.track(ClusterRunner.builder(registry, storage, pool)
            .name("given")
            .scheduler(scheduler, tasks)
            .build());
        scheduler.start();
        try {
            // A node that died between storing the run and advancing it left only its check task.
            String runId = UUID.randomUUID().toString();
            Instance pending = Instance.create(runId, "awaitid::3", "await", 1, Map.of(), Map.of(), Instant.now());
            storage.create(pending, UniquenessScope.WORKFLOW);
            scheduler.schedule(tasks.check().instance(runId + "/start"), Instant.now());

            runner.resume("await", "3", "received");
            Instance done = runner.awaitFinished("await", "3", Duration.ofSeconds(10));

            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.runId()).isEqualTo(runId);
            assertThatThrownBy(() -> ClusterRunner.builder(registry, storage, pool).scheduler(scheduler, tasks).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already bound");
        }
        finally {
            runner.close();
            scheduler.stop();
        }
    }

    private ClusterRunner node(String name, WorkflowRegistry registry, EventCounter counter,
            TelemetryListener... stepStops) {
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("counter", counter);
        for (int i = 0; i < stepStops.length; i++) {
            telemetry.attach("step-stop-" + i, Set.of(TelemetryEventType.STEP_STOP), stepStops[i]);
        }
        return this.cluster.node(name, registry, 4, (builder) -> builder.telemetry(telemetry));
    }

    private static WorkflowRegistry flaky(String node, List<String> attempts, List<Instant> startedAt,
            CountDownLatch firstAttempt) {
        Step flaky = new Flaky(node, attempts, startedAt, firstAttempt);
        return WorkflowRegistry.of(Workflow.builder("flaky").businessKey("flakyid").start(flaky)
            .transition(flaky, "done", Done.step()).build());
    }

    private static WorkflowRegistry slow(List<String> outcomes) {
        Step slow = new Step() {

            @Override
            public Set<String> events() {
                return Set.of("done");
            }

            @Override
            public String key() {
                return "slow";
            }

            @Override
            public Optional<Duration> timeout() {
                return Optional.of(Duration.ofMillis(300));
            }

            @Override
            public RetryPolicy retryPolicy() {
                return RetryPolicy.constant(2, Duration.ofMillis(100));
            }

            @Override
            public StepResult execute(StepInput input) {
                if (input.attempt() == 1) {
                    try {
                        new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                        outcomes.add("1 not interrupted");
                    }
                    catch (InterruptedException ex) {
                        outcomes.add("1 interrupted");
                    }
                    return StepResult.completed("done", Map.of("late", true));
                }
                outcomes.add(input.attempt() + " completed");
                return StepResult.completed("done");
            }
        };
        return WorkflowRegistry.of(Workflow.builder("slow").businessKey("slowid").start(slow)
            .transition(slow, "done", Done.step()).build());
    }

    private static WorkflowRegistry pause() {
        Wait pause = Wait.of("pause", Duration.ofMillis(300));
        return WorkflowRegistry.of(Workflow.builder("pause").businessKey("pauseid").start(pause)
            .transition(pause, Wait.TIMEOUT, Done.step()).build());
    }

    private static WorkflowRegistry awaiting() {
        WaitForEvent wait = WaitForEvent.of("wait_here", "received");
        return WorkflowRegistry.of(Workflow.builder("await").businessKey("awaitid").start(wait)
            .transition(wait, "received", Done.step()).build());
    }

    /**
     * A step that fails on node {@code a} and completes elsewhere, after a constant backoff.
     */
    private static final class Flaky implements Step {

        static final Duration BACKOFF = Duration.ofSeconds(1);

        private final String node;

        private final List<String> attempts;

        private final List<Instant> startedAt;

        private final CountDownLatch firstAttempt;

        Flaky(String node, List<String> attempts, List<Instant> startedAt, CountDownLatch firstAttempt) {
            this.node = node;
            this.attempts = attempts;
            this.startedAt = startedAt;
            this.firstAttempt = firstAttempt;
        }

        @Override
        public Set<String> events() {
            return Set.of("done");
        }

        @Override
        public String key() {
            return "flaky";
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RetryPolicy.constant(3, BACKOFF);
        }

        @Override
        public StepResult execute(StepInput input) {
            this.startedAt.add(Instant.now());
            this.attempts.add(input.attempt() + " on " + this.node);
            this.firstAttempt.countDown();
            return this.node.equals("a") ? StepResult.failed("node a refuses") : StepResult.completed("done");
        }
    }

    /**
     * Latches around a step that holds until released, and keeps holding when interrupted.
     */
    private static final class Holding {

        final CountDownLatch started = new CountDownLatch(1);

        final CountDownLatch interrupted = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        /** Counted down by step.stop, on whichever node. */
        final CountDownLatch stopped = new CountDownLatch(1);

        final AtomicReference<String> node = new AtomicReference<>("");

        WorkflowRegistry workflow(String nodeName) {
            Step hold = new Step() {

                @Override
                public Set<String> events() {
                    return Set.of("done");
                }

                @Override
                public String key() {
                    return "hold";
                }

                @Override
                public StepResult execute(StepInput input) {
                    node.set(nodeName);
                    started.countDown();
                    while (true) {
                        try {
                            if (release.await(30, TimeUnit.SECONDS)) {
                                break;
                            }
                        }
                        catch (InterruptedException ex) {
                            interrupted.countDown();
                        }
                    }
                    return StepResult.completed("done", Map.of("held", true));
                }
            };
            return WorkflowRegistry.of(Workflow.builder("hold").businessKey("holdid").start(hold)
                .transition(hold, "done", Done.step()).build());
        }
    }
}
