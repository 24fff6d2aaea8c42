package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of {@link LocalRunner.Builder#writerThreads}: a step's thread hands its result to a writer
 * thread and is free at once, while the steps of one instance still run one after the other, each
 * after its predecessor's result is stored.
 */
class WriterThreadsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private LocalRunner runner;

    @AfterEach
    void close() {
        if (this.runner != null) {
            this.runner.close();
        }
        // The next test counts its own writers by name.
        RunnerWritesTests.await(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch((thread) -> thread.getName().startsWith("w-writer-")));
    }

    private LocalRunner runner(Workflow workflow, Storage storage, int threads, int writerThreads) {
        this.runner = LocalRunner.builder(WorkflowRegistry.of(workflow)).name("w").storage(storage).threads(threads)
            .writerThreads(writerThreads).build();
        // A result is handed over only to a writer already waiting for one: wait until every writer,
        // started with the runner, waits, so that the tests do not depend on how fast threads start.
        RunnerWritesTests.await(() -> Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().startsWith("w-writer-"))
            .filter((thread) -> thread.getState() == Thread.State.WAITING)
            .count() == writerThreads);
        return this.runner;
    }

    /** A line of steps that log "run:key" on the given list. */
    private static Workflow line(int steps, List<String> log) {
        Workflow.Builder builder = null;
        Step previous = null;
        for (int i = 1; i <= steps; i++) {
            String key = "step_" + i;
            Step step = TestSteps.step(key, Set.of("done"), (input) -> {
                log.add("run:" + key + "@" + Thread.currentThread().getName());
                return StepResult.completed("done", Map.of("value", key));
            });
            builder = (builder == null) ? Workflow.builder("line").businessKey("key").start(step)
                    : builder.transition(previous, "done", step);
            previous = step;
        }
        return builder.transition(previous, "done", Done.step()).build();
    }

    @Test
    void stepsRunOnStepThreadsTheirResultsAreStoredOnWriterThreadsEachBeforeTheNextStepRuns() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Storage storage = new ForwardingStorage(new InMemoryStorage()) {
            @Override
            public Instance update(Instance instance) {
                Instance stored = super.update(instance);
                long steps = stored.completedSteps().stream().filter((key) -> !key.equals(Done.KEY)).count();
                log.add("stored:step_" + steps + "@" + Thread.currentThread().getName());
                return stored;
            }
        };
        // Enough writers that one is always idle when a result is handed over (one instance, one at a time).
        runner(line(4, log), storage, 2, 4);

        this.runner.start(StartRequest.of("line", "1"));
        Instance finished = this.runner.awaitFinished("line", "1", TIMEOUT);

        assertThat(finished.status()).isEqualTo(Status.COMPLETED);
        assertThat(finished.completedSteps()).containsExactly("step_1", "step_2", "step_3", "step_4", Done.KEY);
        List<String> order = new ArrayList<>();
        for (String entry : log) {
            String what = entry.substring(0, entry.indexOf('@'));
            String thread = entry.substring(entry.indexOf('@') + 1);
            assertThat(thread).as(what).startsWith(what.startsWith("run:") ? "w-step-" : "w-writer-");
            order.add(what);
        }
        assertThat(order).containsExactly("run:step_1", "stored:step_1", "run:step_2", "stored:step_2", "run:step_3",
                "stored:step_3", "run:step_4", "stored:step_4");
    }

    @Test
    void aStepThreadDoesNotWaitForTheWriteOfItsResult() throws Exception {
        int instances = 3;
        CountDownLatch allWriting = new CountDownLatch(instances);
        List<Boolean> metTheOthers = Collections.synchronizedList(new ArrayList<>());
        Storage storage = new ForwardingStorage(new InMemoryStorage()) {
            @Override
            public Instance update(Instance instance) {
                // Each write waits until the writes of all instances are under way at once: with a
                // single step thread that only happens if it handed each result over and went on.
                allWriting.countDown();
                try {
                    metTheOthers.add(allWriting.await(5, TimeUnit.SECONDS));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    metTheOthers.add(false);
                }
                return super.update(instance);
            }
        };
        runner(line(1, new CopyOnWriteArrayList<>()), storage, 1, instances);

        for (int i = 0; i < instances; i++) {
            this.runner.start(StartRequest.of("line", Integer.toString(i)));
        }
        for (int i = 0; i < instances; i++) {
            assertThat(this.runner.awaitFinished("line", Integer.toString(i), TIMEOUT).status())
                .isEqualTo(Status.COMPLETED);
        }

        assertThat(metTheOthers).hasSize(instances).containsOnly(true);
    }

    @Test
    void whenEveryWriterIsBusyTheStepThreadStoresTheResultItself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, String> storedOn = new java.util.concurrent.ConcurrentHashMap<>();
        Storage storage = new ForwardingStorage(new InMemoryStorage()) {
            @Override
            public Instance update(Instance instance) {
                storedOn.put(instance.id(), Thread.currentThread().getName());
                if (instance.id().endsWith("::slow")) {
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.update(instance);
            }
        };
        runner(line(1, new CopyOnWriteArrayList<>()), storage, 1, 1);

        this.runner.start(StartRequest.of("line", "slow"));
        RunnerWritesTests.await(() -> storedOn.containsKey("key::slow"));
        this.runner.start(StartRequest.of("line", "fast"));
        Instance fast = this.runner.awaitFinished("line", "fast", TIMEOUT);
        release.countDown();
        Instance slow = this.runner.awaitFinished("line", "slow", TIMEOUT);

        assertThat(fast.status()).isEqualTo(Status.COMPLETED);
        assertThat(slow.status()).isEqualTo(Status.COMPLETED);
        assertThat(storedOn).containsEntry("key::slow", "w-writer-1").containsEntry("key::fast", "w-step-1");
    }

    @Test
    void aFanOutAndJoinStoreEveryBranchOnce() throws Exception {
        Step start = TestSteps.emitting("start", "go");
        List<Step> branches = List.of(TestSteps.emitting("a", "done"), TestSteps.emitting("b", "done"),
                TestSteps.emitting("c", "done"));
        Step join = TestSteps.step("join", Set.of("done"),
                (input) -> StepResult.completed("done", Map.of("seen", input.context().steps().keySet().size())));
        Workflow.Builder builder = Workflow.builder("fan").businessKey("key").start(start)
            .transition(start, "go", branches.get(0), branches.get(1), branches.get(2));
        for (Step branch : branches) {
            builder.transition(branch, "done", join);
        }
        CountingStorage storage = new CountingStorage(new InMemoryStorage());
        runner(builder.transition(join, "done", Done.step()).build(), storage, 4, 4);

        for (int i = 0; i < 20; i++) {
            this.runner.start(StartRequest.of("fan", Integer.toString(i)));
        }
        for (int i = 0; i < 20; i++) {
            Instance done = this.runner.awaitFinished("fan", Integer.toString(i), TIMEOUT);
            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.context().step("join")).containsEntry("seen", 4);
        }
        // Per instance: the start's result, three branches, and the join with Done folded in.
        assertThat(storage.creates).hasValue(20);
        assertThat(storage.updates).hasValue(20 * 5);
    }

    @Test
    void aFailedAttemptStoredByAWriterIsRetriedAndAThrowingStepFailsItsInstance() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Step flaky = TestSteps.retrying("flaky", "done", RetryPolicy.constant(3,
                Duration.ofMillis(10)), (input) -> (attempts.incrementAndGet() < 3) ? StepResult.failed("not yet")
                        : StepResult.completed("done", Map.of()));
        Step broken = TestSteps.step("broken", Set.of("done"), (input) -> {
            throw new IllegalStateException("broken on purpose");
        });
        runner(Workflow.builder("retry").businessKey("key").start(flaky).transition(flaky, "done", broken)
            .transition(broken, "done", Done.step()).build(), new InMemoryStorage(), 2, 2);

        this.runner.start(StartRequest.of("retry", "1"));
        Instance failed = this.runner.awaitFinished("retry", "1", TIMEOUT);

        assertThat(attempts).hasValue(3);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.completedSteps()).containsExactly("flaky");
        assertThat(failed.failure()).hasValueSatisfying((failure) -> {
            assertThat(failure.step()).isEqualTo("broken");
            assertThat(failure.reason()).contains("broken on purpose");
        });
    }

    @Test
    void closeStoresTheResultsAlreadyHandedToWriters() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        InMemoryStorage memory = new InMemoryStorage();
        Storage storage = new ForwardingStorage(memory) {
            @Override
            public Instance update(Instance instance) {
                writing.countDown();
                try {
                    Thread.sleep(200);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return super.update(instance);
            }
        };
        runner(line(2, new CopyOnWriteArrayList<>()), storage, 2, 2);
        Instance started = this.runner.start(StartRequest.of("line", "1"));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

        this.runner.close();

        Instance stored = memory.get(started.runId()).orElseThrow();
        assertThat(stored.completedSteps()).startsWith("step_1");
        assertThat(stored.status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aNegativeNumberOfWriterThreadsIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LocalRunner.builder(WorkflowRegistry.of(line(1, new ArrayList<>()))).writerThreads(-1))
            .withMessage("writerThreads must not be negative (0 for none), got -1");
    }
}
