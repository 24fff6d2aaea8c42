package io.hephaestus.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.jdbc.testing.RequiresPostgresql;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two cluster nodes on one PostgreSQL database run 1,000 workflows with a fan-out, a join, a
 * {@code Wait} timer and an external event sent to the other node than the one that started the
 * workflow. Every workflow completes exactly once, both nodes do work, and the counts in storage
 * and in the two nodes' telemetry add up exactly.
 */
@RequiresPostgresql
class TwoNodeTests {

    private static final int WORKFLOWS = 1000;

    private static final int THREADS = 8;

    private final ClusterFixture cluster = new ClusterFixture("twonode");

    @AfterEach
    void closeCluster() {
        this.cluster.close();
    }

    @Test
    void everyWorkflowCompletesExactlyOnceWithWorkOnBothNodes() throws Exception {
        CountDownLatch stops = new CountDownLatch(WORKFLOWS);
        EventCounter eventsA = new EventCounter(stops);
        EventCounter eventsB = new EventCounter(stops);
        ClusterRunner a = node("a", eventsA);
        ClusterRunner b = node("b", eventsB);

        for (int i = 0; i < WORKFLOWS; i++) {
            ((i % 2 == 0) ? a : b).start(StartRequest.of(ClusterWorkflow.NAME, "w-" + i));
        }
        for (int i = 0; i < WORKFLOWS; i++) {
            // The event goes to the node that did not start the workflow: delivered, or queued until confirm waits.
            ((i % 2 == 0) ? b : a).resume(ClusterWorkflow.NAME, "w-" + i, ClusterWorkflow.EVENT);
        }
        assertThat(EventCounter.await(stops, 120)).as("workflow.stop of every workflow; %s left", stops.getCount())
            .isTrue();

        List<Instance> all = a.list(InstanceQuery.all().workflow(ClusterWorkflow.NAME).limit(10 * WORKFLOWS));
        assertThat(all).hasSize(WORKFLOWS);
        assertThat(all).extracting(Instance::id).doesNotHaveDuplicates();
        Map<String, Integer> stepsByNode = new HashMap<>();
        for (Instance instance : all) {
            assertThat(instance.status()).isEqualTo(Status.COMPLETED);
            assertThat(instance.completedSteps()).containsExactlyInAnyOrderElementsOf(ClusterWorkflow.ALL_STEPS);
            assertThat(instance.history()).hasSize(ClusterWorkflow.ALL_STEPS.size());
            for (String step : ClusterWorkflow.WORKING_STEPS) {
                stepsByNode.merge((String) instance.context().step(step).get("by"), 1, Integer::sum);
            }
            assertThat(eventsA.count(instance.id(), TelemetryEventType.WORKFLOW_STOP)
                    + eventsB.count(instance.id(), TelemetryEventType.WORKFLOW_STOP))
                .as("workflow.stop of %s", instance.id()).isEqualTo(1);
        }
        assertThat(stepsByNode).as("working steps per node").containsOnlyKeys("a", "b");
        assertThat(stepsByNode.values()).allMatch((count) -> count > 0);
        int stopsA = eventsA.count(TelemetryEventType.WORKFLOW_STOP);
        int stopsB = eventsB.count(TelemetryEventType.WORKFLOW_STOP);
        assertThat(stopsA).as("workflows node a completed").isPositive();
        assertThat(stopsB).as("workflows node b completed").isPositive();
        assertThat(stopsA + stopsB).isEqualTo(WORKFLOWS);
        assertThat(a.storage().countByStatus(ClusterWorkflow.NAME).get(Status.COMPLETED)).isEqualTo(stopsA + stopsB);
        // Each result applied once: prepare, left, right, merge and done stop; pause and confirm resume.
        assertThat(eventsA.count(TelemetryEventType.STEP_STOP) + eventsB.count(TelemetryEventType.STEP_STOP))
            .isEqualTo(5 * WORKFLOWS);
        assertThat(eventsA.count(TelemetryEventType.STEP_RESUME) + eventsB.count(TelemetryEventType.STEP_RESUME))
            .isEqualTo(2 * WORKFLOWS);
        assertThat(eventsA.count(TelemetryEventType.WORKFLOW_START) + eventsB.count(TelemetryEventType.WORKFLOW_START))
            .isEqualTo(WORKFLOWS);
        assertThat(this.cluster.tasks(ClusterTasks.CHECK_TASK)).as("check tasks left").isZero();
    }

    private ClusterRunner node(String name, EventCounter counter) {
        Telemetry telemetry = Telemetry.create();
        telemetry.attach("counter", counter);
        WorkflowRegistry registry = WorkflowRegistry.of(
                ClusterWorkflow.create(name, Duration.ofMillis(200), Duration.ZERO, ClusterWorkflow.Recorder.none()));
        return this.cluster.node(name, registry, THREADS, (builder) -> builder.telemetry(telemetry));
    }
}
