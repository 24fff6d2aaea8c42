package io.hephaestus.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.jdbc.testing.TestDatabases;

/**
 * A child JVM of {@link NodeLossTests}: one cluster node on PostgreSQL.
 *
 * <p>Arguments: JDBC URL, user, password, table prefix, node name, workflow count, threads, first
 * workflow, stride. The node starts workflows {@code first, first + stride, …} below the count,
 * sends each its event {@code go}, prints {@code SENT} and waits for a line on its standard input
 * (a node that is killed never reads it). On {@code finish} it sends {@code go} to every instance
 * that has not received it yet, and goes on running until it reads the next line, then exits. Each {@code workflow.stop} is written to the stops table, naming the node.
 */
public final class NodeLossWorker {

    private NodeLossWorker() {
    }

    public static void main(String[] args) throws Exception {
        String prefix = args[3];
        String node = args[4];
        int count = Integer.parseInt(args[5]);
        int threads = Integer.parseInt(args[6]);
        int first = Integer.parseInt(args[7]);
        int stride = Integer.parseInt(args[8]);
        try (HikariDataSource dataSource = TestDatabases.postgresql(args[0], args[1], args[2], node, threads + 8)) {
            Telemetry telemetry = Telemetry.create();
            telemetry.attach("stops", new StopRecorder(dataSource, prefix + "_stops", node));
            JdbcStorage storage = JdbcStorage.builder(dataSource).tableName(prefix + "_instances").build();
            WorkflowRegistry registry = WorkflowRegistry.of(ClusterWorkflow.create(node, NodeLossTests.PAUSE, NodeLossTests.WORK,
                    ClusterWorkflow.Recorder.table(dataSource, prefix + "_executions")));
            ClusterRunner runner = ClusterRunner.builder(registry, storage, dataSource)
                .name(node)
                .threads(threads)
                .tableName(prefix + "_tasks")
                .pollingInterval(ClusterFixture.POLLING)
                .heartbeatInterval(ClusterFixture.HEARTBEAT)
                .missedHeartbeatsLimit(4)
                .telemetry(telemetry)
                .build();
            System.out.println("UP " + node);
            for (int i = first; i < count; i += stride) {
                runner.start(StartRequest.of(ClusterWorkflow.NAME, "w-" + i));
            }
            for (int i = first; i < count; i += stride) {
                runner.resume(ClusterWorkflow.NAME, "w-" + i, ClusterWorkflow.EVENT);
            }
            System.out.println("SENT");
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = input.readLine();
            if (!"finish".equals(line)) {
                runner.close();
                return;
            }
            List<Instance> active = runner.list(InstanceQuery.all().workflow(ClusterWorkflow.NAME)
                .statuses(Status.PENDING, Status.RUNNING, Status.WAITING).limit(count));
            int sent = 0;
            for (Instance instance : active) {
                if (!instance.completedSteps().contains("confirm") && instance.queuedEvents().isEmpty()) {
                    runner.resume(ClusterWorkflow.NAME, instance.id(), ClusterWorkflow.EVENT);
                    sent++;
                }
            }
            System.out.println("ACTIVE " + active.size() + " SENT " + sent);
            // The test says when to go: once every workflow finished and every execution of the dead node was taken over.
            System.out.println(input.readLine() + " " + active(storage));
            runner.close();
        }
    }

    private static long active(JdbcStorage storage) {
        Map<Status, Long> counts = storage.countByStatus(ClusterWorkflow.NAME);
        return counts.get(Status.PENDING) + counts.get(Status.RUNNING) + counts.get(Status.WAITING);
    }

    /**
     * Writes each {@code workflow.stop} with the instance and the node that emitted it.
     */
    private static final class StopRecorder implements TelemetryListener {

        private final DataSource dataSource;

        private final String insert;

        private final String node;

        StopRecorder(DataSource dataSource, String table, String node) {
            this.dataSource = dataSource;
            this.insert = "INSERT INTO " + table + " (instance_id, node) VALUES (?, ?)";
            this.node = node;
        }

        @Override
        public Set<TelemetryEventType> eventTypes() {
            return Set.of(TelemetryEventType.WORKFLOW_STOP);
        }

        @Override
        public void onEvent(TelemetryEvent event) {
            try (Connection connection = this.dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(this.insert)) {
                statement.setString(1, event.instanceScope().orElseThrow().instanceId());
                statement.setString(2, this.node);
                statement.executeUpdate();
            }
            catch (SQLException ex) {
                throw new IllegalStateException("could not record a workflow.stop", ex);
            }
        }
    }
}
