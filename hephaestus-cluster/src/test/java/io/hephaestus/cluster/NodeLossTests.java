package io.hephaestus.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.jdbc.testing.RequiresPostgresql;
import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two cluster nodes in two child JVMs share workflows on PostgreSQL; one is killed with
 * {@code kill -9} mid-run. The survivor takes over the executions the dead node had picked once
 * their heartbeats are older than db-scheduler's dead-execution window (shortened here to 2 s:
 * heartbeats every 500 ms, 4 may be missed), and finishes every workflow: none is lost, none
 * completes twice, and the only steps that run twice are those the dead node was running.
 */
@RequiresPostgresql
class NodeLossTests {

    /** The {@code Wait} of the test workflow. */
    static final Duration PAUSE = Duration.ofMillis(500);

    /**
     * How long each working step takes: the nodes start workflows faster than they finish them, so
     * many are in flight, and steps are running, when a node dies.
     */
    static final Duration WORK = Duration.ofMillis(100);

    private static final int WORKFLOWS = 200;

    private static final int THREADS = 4;

    private static final Duration DEAD_EXECUTION_WINDOW = ClusterFixture.HEARTBEAT.multipliedBy(4);

    private final ClusterFixture cluster = new ClusterFixture("nodeloss");

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void closeCluster() {
        this.children.forEach(Process::destroyForcibly);
        TestDatabases.drop(this.cluster.admin, executions());
        TestDatabases.drop(this.cluster.admin, stops());
        this.cluster.close();
    }

    @Test
    void survivorTakesOverTheExecutionsOfAKilledNodeAndFinishesEveryWorkflowExactlyOnce() throws Exception {
        TestDatabases.execute(this.cluster.admin, ClusterWorkflow.Recorder.createTableSql(executions()));
        TestDatabases.execute(this.cluster.admin, "CREATE TABLE " + stops()
                + " (instance_id VARCHAR(200) NOT NULL, node VARCHAR(32) NOT NULL)");
        JdbcStorage storage = this.cluster.storage();
        Process a = worker("a", 0);
        Process b = worker("b", 1);
        awaitLine("a", "SENT", a);
        awaitLine("b", "SENT", b);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        // Kill node a mid-run: a tenth of the workflows done, and a holding executions at that moment
        // (between its chains it may briefly hold none, while its workflows wait for timers).
        while ((storage.countByStatus(ClusterWorkflow.NAME).get(Status.COMPLETED) < WORKFLOWS / 10
                || pickedBy("a") == 0) && a.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(a.isAlive()).as("node a still running (see %s)", log("a")).isTrue();

        kill9(a);
        long killed = System.nanoTime();
        assertThat(pickedBy("a")).as("executions node a had picked when it died").isPositive();
        assertThat(active(storage)).as("workflows in flight when node a died").isPositive();
        tell(b, "finish");
        Duration takeover = null;
        while (System.nanoTime() - killed < Duration.ofMinutes(2).toNanos() && b.isAlive()) {
            if (takeover == null && pickedBy("a") == 0) {
                takeover = Duration.ofNanos(System.nanoTime() - killed);
            }
            if (takeover != null && active(storage) == 0) {
                break;
            }
            Thread.sleep(20);
        }
        tell(b, "exit");
        assertThat(b.waitFor(1, TimeUnit.MINUTES)).as("node b stopped (see %s)", log("b")).isTrue();
        assertThat(b.exitValue()).as("node b exit code (see %s)", log("b")).isZero();

        assertThat(pickedBy("a")).as("executions node a had picked, not taken over: %s", TestDatabases.countBy(
                this.cluster.admin, "SELECT task_name || ' ' || task_instance || ' heartbeat ' || last_heartbeat,"
                        + " version FROM " + this.cluster.tasksTable() + " WHERE picked"))
            .isZero();
        // The window, one dead-execution check (every two heartbeats) and slack for a loaded machine.
        assertThat(takeover).as("time until node b took over node a's executions").isNotNull()
            .isGreaterThanOrEqualTo(DEAD_EXECUTION_WINDOW.minusSeconds(1))
            .isLessThan(DEAD_EXECUTION_WINDOW.plus(ClusterFixture.HEARTBEAT.multipliedBy(2)).plusSeconds(10));
        List<Instance> all = storage.query(InstanceQuery.all().workflow(ClusterWorkflow.NAME).limit(10 * WORKFLOWS));
        assertThat(all).hasSize(WORKFLOWS);
        assertThat(all).extracting(Instance::id).doesNotHaveDuplicates();
        assertThat(all).allSatisfy((instance) -> {
            assertThat(instance.status()).isEqualTo(Status.COMPLETED);
            assertThat(instance.completedSteps()).containsExactlyInAnyOrderElementsOf(ClusterWorkflow.ALL_STEPS);
            assertThat(instance.history()).extracting(ExecutionEntry::step)
                .containsExactlyInAnyOrderElementsOf(ClusterWorkflow.ALL_STEPS);
        });
        assertThat(all).as("workflows whose working steps ran on both nodes").anySatisfy((instance) -> {
            assertThat(ClusterWorkflow.WORKING_STEPS).extracting((step) -> instance.context().step(step).get("by"))
                .contains("a", "b");
        });

        Map<String, Long> stopsPerInstance = TestDatabases.countBy(this.cluster.admin,
                "SELECT instance_id, COUNT(*) FROM " + stops() + " GROUP BY instance_id");
        assertThat(stopsPerInstance.values()).as("workflow.stop events per workflow").allMatch((count) -> count == 1);
        assertThat(WORKFLOWS - stopsPerInstance.size()).as("workflow.stop events lost between a commit and the kill")
            .isLessThanOrEqualTo(THREADS);
        assertThat(TestDatabases.countBy(this.cluster.admin, "SELECT node, COUNT(*) FROM " + stops() + " GROUP BY node"))
            .containsOnlyKeys("a", "b");

        Map<String, Long> executions = TestDatabases.countBy(this.cluster.admin, "SELECT run_id || '/' || step, COUNT(*)"
                + " FROM " + executions() + " GROUP BY run_id, step");
        assertThat(executions).hasSize(WORKFLOWS * ClusterWorkflow.WORKING_STEPS.size());
        long repeated = executions.values().stream().mapToLong((count) -> count - 1).sum();
        assertThat(repeated).as("step executions beyond one per step: at most those running on node a")
            .isLessThanOrEqualTo(THREADS);
    }

    private Process worker(String node, int first) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-Dlogback.configurationFile=logback-node.xml",
                "-cp", System.getProperty("java.class.path"), NodeLossWorker.class.getName(),
                TestDatabases.POSTGRESQL_URL, TestDatabases.POSTGRESQL_USER, TestDatabases.POSTGRESQL_PASSWORD,
                this.cluster.prefix, node, Integer.toString(WORKFLOWS), Integer.toString(THREADS),
                Integer.toString(first), "2");
        builder.redirectErrorStream(true).redirectOutput(log(node).toFile());
        Process process = builder.start();
        this.children.add(process);
        return process;
    }

    private void awaitLine(String node, String line, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()
                && Files.readAllLines(log(node)).stream().noneMatch(line::equals)) {
            Thread.sleep(20);
        }
        assertThat(Files.readAllLines(log(node))).as("output of node %s (%s)", node, log(node)).contains(line);
    }

    private static void tell(Process process, String line) throws IOException {
        OutputStream input = process.getOutputStream();
        input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        input.flush();
    }

    private static long active(JdbcStorage storage) {
        Map<Status, Long> counts = storage.countByStatus(ClusterWorkflow.NAME);
        return counts.get(Status.PENDING) + counts.get(Status.RUNNING) + counts.get(Status.WAITING);
    }

    private long pickedBy(String node) {
        return TestDatabases.count(this.cluster.admin, "SELECT COUNT(*) FROM " + this.cluster.tasksTable()
                + " WHERE picked AND picked_by = '" + node + "'");
    }

    private String executions() {
        return this.cluster.prefix + "_executions";
    }

    private String stops() {
        return this.cluster.prefix + "_stops";
    }

    private Path log(String node) {
        Path directory = Path.of("target", "node-loss-test");
        try {
            Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return directory.resolve(this.cluster.prefix + "-" + node + ".log");
    }

    /**
     * Kill the process with SIGKILL, as {@code kill -9} does: no shutdown hook, no finally block runs.
     */
    private static void kill9(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            process.destroyForcibly();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code of a process killed by SIGKILL").isEqualTo(137);
    }
}
