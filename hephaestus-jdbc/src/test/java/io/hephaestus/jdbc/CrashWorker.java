package io.hephaestus.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;

/**
 * The child JVM of {@link CrashRecoveryTests}: a local runner on JDBC storage on PostgreSQL.
 *
 * <p>Arguments: JDBC URL, user, password, table prefix, mode, count, threads, writer threads, the
 * storage's group commit. Mode {@code first}
 * starts {@code count} workflows, sends each its event {@code go} (delivered or queued), and runs
 * until it is killed. Mode {@code second} recovers what the first left, sends {@code go} to every
 * instance that has not received it, waits until every workflow finished, and exits. Each
 * {@code workflow.stop} is written to the stops table, naming the JVM.
 */
public final class CrashWorker {

    private CrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        String prefix = args[3];
        String mode = args[4];
        int count = Integer.parseInt(args[5]);
        int threads = Integer.parseInt(args[6]);
        int writerThreads = Integer.parseInt(args[7]);
        int groupCommit = Integer.parseInt(args[8]);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(threads + 4);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            Telemetry telemetry = Telemetry.create();
            telemetry.attach("stops", new StopRecorder(dataSource, prefix + "_stops", mode));
            JdbcStorage storage = JdbcStorage.builder(dataSource).tableName(prefix + "_instances")
                .groupCommit(groupCommit).build();
            LocalRunner runner = LocalRunner.builder(WorkflowRegistry.of(
                    CrashWorkflow.create(dataSource, prefix + "_executions", mode)))
                .storage(storage).telemetry(telemetry).threads(threads).writerThreads(writerThreads).build();
            System.out.println("RUNNER " + mode + " UP");
            if (mode.equals("first")) {
                for (int i = 0; i < count; i++) {
                    runner.start(StartRequest.of(CrashWorkflow.NAME, "w-" + i));
                }
                System.out.println("STARTED " + count);
                for (int i = 0; i < count; i++) {
                    runner.resume(CrashWorkflow.NAME, "w-" + i, CrashWorkflow.EVENT);
                }
                System.out.println("SENT " + count);
                Thread.sleep(Long.MAX_VALUE);
            }
            else {
                List<Instance> active = runner.list(InstanceQuery.all().workflow(CrashWorkflow.NAME)
                    .statuses(Status.PENDING, Status.RUNNING, Status.WAITING).limit(count));
                int sent = 0;
                for (Instance instance : active) {
                    if (!instance.completedSteps().contains("confirm") && instance.queuedEvents().isEmpty()) {
                        runner.resume(CrashWorkflow.NAME, instance.id(), CrashWorkflow.EVENT);
                        sent++;
                    }
                }
                System.out.println("RECOVERED " + active.size() + " SENT " + sent);
                for (Instance instance : active) {
                    runner.awaitFinished(CrashWorkflow.NAME, instance.id(), Duration.ofSeconds(120));
                }
                runner.close();
                System.out.println("FINISHED");
            }
        }
    }

    /**
     * Writes each {@code workflow.stop} with the run id and the JVM that emitted it.
     */
    private static final class StopRecorder implements TelemetryListener {

        private final javax.sql.DataSource dataSource;

        private final String insert;

        private final String jvm;

        StopRecorder(javax.sql.DataSource dataSource, String table, String jvm) {
            this.dataSource = dataSource;
            this.insert = "INSERT INTO " + table + " (instance_id, jvm) VALUES (?, ?)";
            this.jvm = jvm;
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
                statement.setString(2, this.jvm);
                statement.executeUpdate();
            }
            catch (SQLException ex) {
                throw new IllegalStateException("could not record a workflow.stop", ex);
            }
        }
    }
}
