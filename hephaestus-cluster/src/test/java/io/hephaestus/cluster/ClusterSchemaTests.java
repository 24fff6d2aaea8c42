package io.hephaestus.cluster;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * db-scheduler's schema scripts: the table and index names, idempotent application, and the table
 * names accepted.
 */
class ClusterSchemaTests {

    @Test
    void scriptsCreateDbSchedulersTableWithItsColumnsAndIndexes() {
        for (ClusterSchema.Platform platform : ClusterSchema.Platform.values()) {
            String script = ClusterSchema.script(platform);
            assertThat(script).contains("CREATE TABLE IF NOT EXISTS scheduled_tasks (");
            assertThat(script).contains("task_name", "task_instance", "task_data", "execution_time", "picked",
                    "picked_by", "last_success", "last_failure", "consecutive_failures", "last_heartbeat", "version",
                    "priority", "PRIMARY KEY (task_name, task_instance)");
            assertThat(ClusterSchema.statements(script)).hasSize(4);
        }
    }

    @Test
    void scriptForAnotherTableRenamesTheTableAndItsIndexes() {
        String script = ClusterSchema.script(ClusterSchema.Platform.POSTGRESQL, "hephaestus_tasks");

        assertThat(script).doesNotContain("scheduled_tasks");
        assertThat(ClusterSchema.statements(script)).containsExactly(
                ClusterSchema.statements(script).get(0),
                "CREATE INDEX IF NOT EXISTS hephaestus_tasks_execution_time_idx ON hephaestus_tasks (execution_time)",
                "CREATE INDEX IF NOT EXISTS hephaestus_tasks_last_heartbeat_idx ON hephaestus_tasks (last_heartbeat)",
                "CREATE INDEX IF NOT EXISTS hephaestus_tasks_priority_execution_time_idx ON hephaestus_tasks "
                        + "(priority DESC, execution_time ASC)");
        assertThat(ClusterSchema.statements(script).get(0)).startsWith("CREATE TABLE IF NOT EXISTS hephaestus_tasks (");
    }

    @Test
    void invalidTableNamesAreRejectedWithTheRule() {
        for (String name : List.of("", "Tasks", "1tasks", "public.tasks", "tasks;drop", "a".repeat(41))) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> ClusterSchema.script(ClusterSchema.Platform.H2, name))
                .withMessageContaining("invalid db-scheduler table name '" + name + "'")
                .withMessageContaining("lower-case letters, digits or underscores");
        }
    }

    @Test
    void applyOnH2CreatesTheTableOnceAndCanRunAgain() {
        try (HikariDataSource h2 = TestDatabases.h2()) {
            ClusterSchema.apply(h2);
            ClusterSchema.apply(h2);
            ClusterSchema.apply(h2, "other_tasks");

            assertThat(TestDatabases.count(h2, "SELECT COUNT(*) FROM scheduled_tasks")).isZero();
            assertThat(TestDatabases.count(h2, "SELECT COUNT(*) FROM other_tasks")).isZero();
            assertThat(ClusterSchema.Platform.of(h2)).isEqualTo(ClusterSchema.Platform.H2);
        }
    }
}
