package io.hephaestus.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
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
 * The workflow of the crash test: {@code prepare} fans out to {@code left} and {@code right}, which
 * join in {@code merge}; then a {@code Wait} timer, an external event {@code go}, and {@code finish}.
 * Every execution of a working step is written to an executions table first, so the test can count
 * how often each step really ran, across both JVMs.
 */
final class CrashWorkflow {

    static final String NAME = "crash";

    static final String EVENT = "go";

    /** The steps that do work (and record it), in order. */
    static final Set<String> WORKING_STEPS = Set.of("prepare", "left", "right", "merge", "finish");

    private CrashWorkflow() {
    }

    static Workflow create(DataSource dataSource, String executions, String jvm) {
        Step prepare = new Recording("prepare", "ready", dataSource, executions, jvm);
        Step left = new Recording("left", "done", dataSource, executions, jvm);
        Step right = new Recording("right", "done", dataSource, executions, jvm);
        Step merge = new Recording("merge", "merged", dataSource, executions, jvm);
        Wait pause = Wait.of("pause", Duration.ofMillis(300));
        WaitForEvent confirm = WaitForEvent.of("confirm", EVENT);
        Step finish = new Recording("finish", "finished", dataSource, executions, jvm);
        return Workflow.builder(NAME).businessKey("crashid").start(prepare).transition(prepare, "ready", left, right)
            .transition(left, "done", merge).transition(right, "done", merge).transition(merge, "merged", pause)
            .transition(pause, Wait.TIMEOUT, confirm).transition(confirm, EVENT, finish)
            .transition(finish, "finished", Done.step()).build();
    }

    /**
     * A step that records each execution (run id, step, attempt, JVM) before it completes.
     */
    private static final class Recording implements Step {

        private final String key;

        private final String event;

        private final DataSource dataSource;

        private final String insert;

        private final String jvm;

        Recording(String key, String event, DataSource dataSource, String executions, String jvm) {
            this.key = key;
            this.event = event;
            this.dataSource = dataSource;
            this.insert = "INSERT INTO " + executions + " (run_id, step, attempt, jvm) VALUES (?, ?, ?, ?)";
            this.jvm = jvm;
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
            try (Connection connection = this.dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(this.insert)) {
                statement.setString(1, input.runId());
                statement.setString(2, this.key);
                statement.setInt(3, input.attempt());
                statement.setString(4, this.jvm);
                statement.executeUpdate();
            }
            catch (SQLException ex) {
                return StepResult.failed("could not record the execution: " + ex.getMessage());
            }
            return StepResult.completed(this.event, Map.of("by", this.jvm, "key", input.idempotencyKey()));
        }
    }
}
