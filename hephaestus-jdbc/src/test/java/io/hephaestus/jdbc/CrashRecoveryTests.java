package io.hephaestus.jdbc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.jdbc.testing.RequiresPostgresql;
import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local runner on PostgreSQL survives {@code kill -9}: a child JVM runs 1,000 workflows (fan-out,
 * join, a {@code Wait} timer, an external event), is killed mid-run, and a second JVM on the same
 * database finishes them. Every workflow completes exactly once, no step result is lost, and the
 * steps that ran twice are at most those that were in flight when the first JVM died.
 */
@RequiresPostgresql
class CrashRecoveryTests {

    private static final int WORKFLOWS = 1000;

    private static final int THREADS = 8;

    private static final int WRITER_THREADS = 16;

    private final String prefix = TestDatabases.uniqueTableName("crash");

    private HikariDataSource dataSource;

    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void createTables() {
        this.dataSource = TestDatabases.postgresql();
        JdbcSchema.apply(this.dataSource, this.prefix + "_instances");
        TestDatabases.execute(this.dataSource, "CREATE TABLE " + this.prefix
                + "_executions (run_id VARCHAR(64) NOT NULL, step VARCHAR(64) NOT NULL, attempt INT NOT NULL,"
                + " jvm VARCHAR(16) NOT NULL)");
        TestDatabases.execute(this.dataSource, "CREATE TABLE " + this.prefix
                + "_stops (instance_id VARCHAR(200) NOT NULL, jvm VARCHAR(16) NOT NULL)");
    }

    @AfterEach
    void dropTables() {
        this.children.forEach(Process::destroyForcibly);
        for (String table : List.of("_instances", "_executions", "_stops")) {
            TestDatabases.drop(this.dataSource, this.prefix + table);
        }
        this.dataSource.close();
    }

    @Test
    void workflowsKilledMidRunAreFinishedExactlyOnceByTheNextJvm() throws Exception {
        killMidRunAndFinish(0, 1);
    }

    /**
     * The same with writer threads and group commit: results handed to a writer, or waiting for
     * their group's commit, when the JVM dies are lost with it, and their steps run again: at most
     * one per step thread and writer thread.
     */
    @Test
    void workflowsKilledMidRunWithWriterThreadsAndGroupCommitAreFinishedExactlyOnceByTheNextJvm() throws Exception {
        killMidRunAndFinish(WRITER_THREADS, 16);
    }

    private void killMidRunAndFinish(int writerThreads, int groupCommit) throws Exception {
        JdbcStorage storage = JdbcStorage.builder(this.dataSource).tableName(this.prefix + "_instances").build();
        Process first = worker("first", writerThreads, groupCommit);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (completed(storage) < WORKFLOWS / 4 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(first.isAlive()).as("first JVM still running (see %s)", log("first")).isTrue();

        kill9(first);
        Map<Status, Long> atKill = storage.countByStatus(CrashWorkflow.NAME);
        long activeAtKill = atKill.get(Status.PENDING) + atKill.get(Status.RUNNING) + atKill.get(Status.WAITING);
        assertThat(activeAtKill).as("instances left active by the kill").isPositive();

        Process second = worker("second", writerThreads, groupCommit);
        assertThat(second.waitFor(4, TimeUnit.MINUTES)).as("second JVM finished (see %s)", log("second")).isTrue();
        assertThat(second.exitValue()).as("second JVM exit code (see %s)", log("second")).isZero();

        List<Instance> all = storage.query(InstanceQuery.all().workflow(CrashWorkflow.NAME).limit(10 * WORKFLOWS));
        assertThat(all).hasSize(WORKFLOWS);
        assertThat(all).extracting(Instance::id).doesNotHaveDuplicates();
        assertThat(all).allSatisfy((instance) -> {
            assertThat(instance.status()).isEqualTo(Status.COMPLETED);
            assertThat(instance.completedSteps()).containsExactlyInAnyOrder("prepare", "left", "right", "merge",
                    "pause", "confirm", "finish", "done");
            for (String step : CrashWorkflow.WORKING_STEPS) {
                assertThat(instance.context().step(step)).containsKey("by");
            }
        });

        Map<String, Long> stops = TestDatabases.countBy(this.dataSource, "SELECT instance_id, COUNT(*) FROM " + this.prefix + "_stops GROUP BY instance_id");
        assertThat(stops.values()).as("workflow.stop events per workflow").allMatch((count) -> count == 1);
        assertThat(WORKFLOWS - stops.size()).as("workflow.stop events lost between a commit and the kill")
            .isLessThanOrEqualTo(THREADS + writerThreads);
        Map<String, Long> stopsByJvm = TestDatabases.countBy(this.dataSource, "SELECT jvm, COUNT(*) FROM " + this.prefix + "_stops GROUP BY jvm");
        assertThat(stopsByJvm).containsOnlyKeys("first", "second");

        Map<String, Long> executions = TestDatabases.countBy(this.dataSource, "SELECT run_id || '/' || step, COUNT(*) FROM " + this.prefix
                + "_executions GROUP BY run_id, step");
        assertThat(executions).hasSize(WORKFLOWS * CrashWorkflow.WORKING_STEPS.size());
        long repeated = executions.values().stream().mapToLong((count) -> count - 1).sum();
        assertThat(repeated).as("step executions beyond one per step").isLessThanOrEqualTo(THREADS + writerThreads);
    }

    private Process worker(String mode, int writerThreads, int groupCommit) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWorker.class.getName(), TestDatabases.POSTGRESQL_URL, TestDatabases.POSTGRESQL_USER,
                TestDatabases.POSTGRESQL_PASSWORD, this.prefix, mode, Integer.toString(WORKFLOWS),
                Integer.toString(THREADS), Integer.toString(writerThreads), Integer.toString(groupCommit));
        builder.redirectErrorStream(true).redirectOutput(log(mode).toFile());
        Process process = builder.start();
        this.children.add(process);
        return process;
    }

    private Path log(String mode) {
        Path directory = Path.of("target", "crash-test");
        try {
            Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return directory.resolve(this.prefix + "-" + mode + ".log");
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

    private static long completed(JdbcStorage storage) {
        return storage.countByStatus(CrashWorkflow.NAME).get(Status.COMPLETED);
    }
}
