package io.hephaestus.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.Wait;
import io.hephaestus.core.steps.WaitForEvent;

/**
 * The workflow of the cluster's load tests: {@code prepare} fans out to {@code left} and
 * {@code right}, which join in {@code merge}; then a {@code Wait} timer ({@code pause}), an external
 * event {@code go} ({@code confirm}), and {@code Done}. Every working step stores the node that ran
 * it under {@code by}, reports each execution to a {@link Recorder} first, and may take a while.
 */
final class ClusterWorkflow {

    static final String NAME = "cluster";

    static final String EVENT = "go";

    /** The steps that do work (and record it), in order. */
    static final List<String> WORKING_STEPS = List.of("prepare", "left", "right", "merge");

    /** Every step of a completed instance. */
    static final List<String> ALL_STEPS = List.of("prepare", "left", "right", "merge", "pause", "confirm", "done");

    private ClusterWorkflow() {
    }

    /**
     * Return the workflow of one node.
     * @param node the node name the working steps store
     * @param pause the duration of the {@code Wait}
     * @param work how long each working step takes
     * @param recorder what learns of each execution
     */
    static Workflow create(String node, Duration pause, Duration work, Recorder recorder) {
        Step prepare = new Working("prepare", "ready", node, work, recorder);
        Step left = new Working("left", "done", node, work, recorder);
        Step right = new Working("right", "done", node, work, recorder);
        Step merge = new Working("merge", "merged", node, work, recorder);
        Wait wait = Wait.of("pause", pause);
        WaitForEvent confirm = WaitForEvent.of("confirm", EVENT);
        return Workflow.builder(NAME).businessKey("clusterid").start(prepare).transition(prepare, "ready", left, right)
            .transition(left, "done", merge).transition(right, "done", merge).transition(merge, "merged", wait)
            .transition(wait, Wait.TIMEOUT, confirm).transition(confirm, EVENT, Done.step()).build();
    }

    /**
     * Learns of every execution of a working step, before the step completes.
     */
    @FunctionalInterface
    interface Recorder {

        void record(StepInput input, String node);

        static Recorder none() {
            return (input, node) -> {
            };
        }

        /**
         * Insert (run id, step, attempt, node) into an executions table.
         */
        static Recorder table(DataSource dataSource, String table) {
            String insert = "INSERT INTO " + table + " (run_id, step, attempt, node) VALUES (?, ?, ?, ?)";
            return (input, node) -> {
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement statement = connection.prepareStatement(insert)) {
                    statement.setString(1, input.runId());
                    statement.setString(2, input.step());
                    statement.setInt(3, input.attempt());
                    statement.setString(4, node);
                    statement.executeUpdate();
                }
                catch (SQLException ex) {
                    throw new IllegalStateException("could not record the execution: " + ex.getMessage(), ex);
                }
            };
        }

        static String createTableSql(String table) {
            return "CREATE TABLE " + table + " (run_id VARCHAR(64) NOT NULL, step VARCHAR(64) NOT NULL,"
                    + " attempt INT NOT NULL, node VARCHAR(32) NOT NULL)";
        }
    }

    /**
     * A step that records its execution and completes, naming the node that ran it.
     */
    private static final class Working implements Step {

        private final String key;

        private final String event;

        private final String node;

        private final Duration work;

        private final Recorder recorder;

        Working(String key, String event, String node, Duration work, Recorder recorder) {
            this.key = key;
            this.event = event;
            this.node = node;
            this.work = work;
            this.recorder = recorder;
        }

        @Override
        public Set<String> events() {
            return Set.of(this.event);
        }

        @Override
        public Set<String> externalEvents() {
            return Set.of();
        }

        @Override
        public String key() {
            return this.key;
        }

        @Override
        public StepResult execute(StepInput input) {
            this.recorder.record(input, this.node);
            if (!this.work.isZero()) {
                try {
                    Thread.sleep(this.work.toMillis());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return StepResult.failed("interrupted while working");
                }
            }
            return StepResult.completed(this.event, Map.of("by", this.node, "key", input.idempotencyKey()));
        }
    }
}
