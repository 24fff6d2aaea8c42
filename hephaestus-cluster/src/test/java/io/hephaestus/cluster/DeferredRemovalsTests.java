package io.hephaestus.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batched removal of the rows of step task executions that ended their run, on H2.
 */
class DeferredRemovalsTests {

    private HikariDataSource h2;

    private final ClusterTasks tasks = ClusterTasks.create();

    private Scheduler scheduler;

    @BeforeEach
    void createTable() {
        this.h2 = TestDatabases.h2();
        ClusterSchema.apply(this.h2);
        // Never started: it only inserts rows.
        this.scheduler = Scheduler.create(this.h2, this.tasks.all()).alwaysPersistTimestampInUTC().build();
    }

    @AfterEach
    void closeDatabase() {
        this.h2.close();
    }

    @Test
    void removesQueuedRowsAtTheirVersionInOneFlushAndNothingAfterClose() throws Exception {
        DeferredRemovals removals = new DeferredRemovals(this.h2, ClusterSchema.DEFAULT_TABLE_NAME);
        List<Execution> executions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TaskInstance<Void> task = this.tasks.step().instance("run-" + i + "/step/1");
            this.scheduler.schedule(task, Instant.now());
            executions.add(new Execution(Instant.now(), task, true, "node", null, null, 0, Instant.now(), 1));
        }
        TaskInstance<Void> rescheduled = this.tasks.step().instance("run-3/step/1");
        this.scheduler.schedule(rescheduled, Instant.now());
        executions.forEach((execution) -> assertThat(removals.offer(execution)).isTrue());
        // A row whose version moved on since (its execution was rescheduled) is not this execution's to remove.
        assertThat(removals.offer(new Execution(Instant.now(), rescheduled, true, "node", null, null, 0, Instant.now(),
                0))).isTrue();
        assertThat(removals.pending()).isEqualTo(4);

        removals.flush();

        assertThat(removals.pending()).isZero();
        assertThat(stepRows()).containsExactly("run-3/step/1");
        removals.close();
        assertThat(removals.offer(executions.get(0))).as("closed: the caller removes the row itself").isFalse();
    }

    @Test
    void stopsWithTheRowsLeftToDbSchedulerWhenTheTableIsNotTheSchedulers() throws Exception {
        TaskInstance<Void> task = this.tasks.step().instance("run-0/step/1");
        this.scheduler.schedule(task, Instant.now());
        Execution execution = new Execution(Instant.now(), task, true, "node", null, null, 0, Instant.now(), 1);
        DeferredRemovals missing = new DeferredRemovals(this.h2, "no_such_tasks");
        assertThat(missing.offer(execution)).isTrue();
        missing.flush();
        assertThat(missing.isOpen()).isFalse();
        assertThat(missing.offer(execution)).as("stopped: the caller removes the row itself").isFalse();

        try (Connection connection = this.h2.getConnection()) {
            connection.createStatement().execute("CREATE TABLE other_tasks AS SELECT * FROM "
                    + ClusterSchema.DEFAULT_TABLE_NAME + " WHERE 1 = 0");
        }
        DeferredRemovals other = new DeferredRemovals(this.h2, "other_tasks");
        assertThat(other.offer(execution)).isTrue();
        other.flush();
        assertThat(other.isOpen()).as("a batch that removed nothing").isFalse();
        assertThat(stepRows()).containsExactly("run-0/step/1");
    }

    private List<String> stepRows() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = this.h2.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT task_instance FROM "
                        + ClusterSchema.DEFAULT_TABLE_NAME + " WHERE task_name = ? ORDER BY task_instance")) {
            statement.setString(1, ClusterTasks.STEP_TASK);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }
}
