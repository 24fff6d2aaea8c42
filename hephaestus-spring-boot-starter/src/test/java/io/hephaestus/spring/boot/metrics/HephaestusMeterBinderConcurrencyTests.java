package io.hephaestus.spring.boot.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.telemetry.MetricDefinitions;
import io.hephaestus.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs many real workflows on several threads and checks that every count is exact.
 */
class HephaestusMeterBinderConcurrencyTests {

    private static final String WORKFLOW = "tiny";

    private static final int INSTANCES = 1_000;

    private static final int THREADS = 8;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final InMemoryStorage storage = new InMemoryStorage();

    private final WorkflowRegistry workflows = WorkflowRegistry.of(TestWorkflows.tiny(WORKFLOW));

    private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);

    private LocalRunner runner;

    @AfterEach
    void stop() throws InterruptedException {
        this.callers.shutdownNow();
        this.callers.awaitTermination(10, TimeUnit.SECONDS);
        if (this.runner != null) {
            this.runner.close();
        }
    }

    @Test
    void countsAreExactForAThousandWorkflowsOnEightThreads() throws Exception {
        // Given: a binder bound to a registry and attached to the telemetry of an 8-thread runner
        HephaestusMeterBinder binder = new HephaestusMeterBinder(MetricDefinitions.all(),
                List.of(Duration.ofMillis(5), Duration.ofSeconds(1)), this.storage, this.workflows);
        binder.bindTo(this.registry);
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("metrics", binder);
        this.runner = LocalRunner.builder(this.workflows).storage(this.storage).telemetry(telemetry)
            .threads(THREADS).build();
        // 60% complete at once, 20% fail in their step, 20% wait until resumed
        List<Integer> waiting = IntStream.range(0, INSTANCES).filter((i) -> mode(i).equals("wait")).boxed().toList();
        long failing = IntStream.range(0, INSTANCES).filter((i) -> mode(i).equals("fail")).count();
        long completing = INSTANCES - failing;

        // When: every instance is started, from several threads at once
        inParallel(INSTANCES, (i) -> this.runner
            .start(StartRequest.of(WORKFLOW, String.valueOf(i)).context(Map.of("mode", mode(i)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(Status.WAITING) == waiting.size());
        // and every waiting one is resumed
        inParallel(waiting.size(), (i) -> this.runner.resume(WORKFLOW, "key::" + waiting.get(i), TestWorkflows.EVENT));
        await().atMost(Duration.ofSeconds(30))
            .until(() -> counted("hephaestus.workflow.stop") + counted("hephaestus.workflow.exception") == INSTANCES);

        // Then: every meter counted every event exactly once
        assertThat(count(Status.COMPLETED)).isEqualTo(completing);
        assertThat(count(Status.FAILED)).isEqualTo(failing);
        assertThat(counted("hephaestus.workflow.start")).isEqualTo(INSTANCES);
        assertThat(counted("hephaestus.workflow.stop")).isEqualTo(completing);
        assertThat(search("hephaestus.workflow.exception").tags("failed_step", TestWorkflows.WORK).counter().count())
            .isEqualTo(failing);
        assertThat(search("hephaestus.workflow.stop.duration").timer().count()).isEqualTo(completing);
        assertThat(search("hephaestus.step.stop.duration").tags("step", TestWorkflows.WORK).timer().count())
            .isEqualTo(completing - waiting.size());
        assertThat(search("hephaestus.step.stop.duration").tags("step", Done.KEY).timer().count())
            .isEqualTo(completing);
        assertThat(search("hephaestus.step.exception").tags("step", TestWorkflows.WORK, "kind", "exception")
            .counter()
            .count()).isEqualTo(failing);
        assertThat(search("hephaestus.step.async").tags("step", TestWorkflows.WORK).counter().count())
            .isEqualTo(waiting.size());
        assertThat(search("hephaestus.step.resume.wait_duration").tags("step", TestWorkflows.WORK, "source", "external")
            .timer()
            .count()).isEqualTo(waiting.size());
        assertThat(search("hephaestus.engine.advance.active_steps_count").gauge().value()).isZero();
        assertThat(search(HephaestusMeterBinder.INSTANCES).tags("status", "completed").gauge().value())
            .isEqualTo(completing);
        assertThat(search(HephaestusMeterBinder.INSTANCES).tags("status", "failed").gauge().value())
            .isEqualTo(failing);
        // and there is one meter per tag combination, no more
        assertThat(this.registry.find("hephaestus.step.stop.duration").timers()).hasSize(2);
        assertThat(this.registry.find("hephaestus.workflow.start").counters()).hasSize(1);
    }

    private static String mode(int i) {
        int decile = i % 10;
        return (decile < 6) ? "ok" : (decile < 8) ? "fail" : "wait";
    }

    private void inParallel(int count, IntConsumer task) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(this.callers.submit(() -> task.accept(index)));
        }
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    private long count(Status status) {
        return this.storage.countByStatus(WORKFLOW).get(status);
    }

    private Search search(String name) {
        return this.registry.find(name).tag("workflow", WORKFLOW);
    }

    /** Return the count of a counter of the workflow, 0 before its first event. */
    private double counted(String name) {
        Counter counter = search(name).counter();
        return (counter != null) ? counter.count() : 0;
    }
}
