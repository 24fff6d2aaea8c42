package io.hephaestus.jdbc;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.Instances;
import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link JdbcSchema} and {@link JdbcDialect}, on scripts and an in-memory H2 database.
 */
class JdbcSchemaTests {

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void everyDialectHasAScriptOfOneTableAndSixIndexes(JdbcDialect dialect) {
        List<String> statements = JdbcSchema.statements(JdbcSchema.script(dialect));

        assertThat(JdbcSchema.class.getClassLoader().getResource(dialect.schemaResource())).isNotNull();
        assertThat(statements).hasSize(7);
        assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS hephaestus_instance (");
        assertThat(statements.subList(1, 7)).allSatisfy((sql) -> assertThat(sql).contains("INDEX IF NOT EXISTS"));
        assertThat(statements).noneMatch((sql) -> sql.contains("--") || sql.endsWith(";"));
    }

    @Test
    void locationsFollowSpringBootsPlatformConvention() {
        assertThat(JdbcSchema.SCHEMA_LOCATION.replace("@@platform@@", "postgresql"))
            .isEqualTo(JdbcSchema.location(JdbcDialect.POSTGRESQL))
            .isEqualTo("classpath:io/hephaestus/jdbc/schema-postgresql.sql");
        assertThat(JdbcSchema.location(JdbcDialect.H2)).isEqualTo("classpath:io/hephaestus/jdbc/schema-h2.sql");
        assertThat(JdbcDialect.fromPlatform("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
    }

    @Test
    void scriptForAnotherTableRenamesTheTableItsConstraintsAndItsIndexes() {
        String script = JdbcSchema.script(JdbcDialect.POSTGRESQL, "app.order_runs");

        assertThat(script).doesNotContain("hephaestus_instance")
            .contains("CREATE TABLE IF NOT EXISTS app.order_runs (")
            .contains("CONSTRAINT order_runs_pk PRIMARY KEY (run_id)")
            .contains("CREATE INDEX IF NOT EXISTS order_runs_workflow_idx")
            .contains("ON app.order_runs (workflow, status, seq DESC)")
            .contains("CREATE UNIQUE INDEX IF NOT EXISTS order_runs_uniqueness_idx");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Orders", "1runs", "runs;drop", "a.b.c", "", "runs-1",
        "a_name_that_is_longer_than_forty_characters" })
    void invalidTableNamesAreRejected(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcSchema.script(JdbcDialect.H2, name))
            .withMessageContaining("invalid table name");
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcStorage.builder(TestDatabases.h2()).tableName(name))
            .withMessageContaining("lower-case");
    }

    @Test
    void applyingTwiceIsHarmlessAndKeepsTheRows() {
        try (HikariDataSource dataSource = TestDatabases.h2()) {
            JdbcSchema.apply(dataSource, "runs");
            JdbcStorage storage = JdbcStorage.builder(dataSource).tableName("runs").build();
            storage.create(Instances.pending("run-1", "order::1", "order", 1), UniquenessScope.WORKFLOW);

            JdbcSchema.apply(dataSource, "runs");

            assertThat(storage.get("run-1")).isPresent();
            assertThat(storage.create(Instances.pending("run-2", "order::1", "order", 1), UniquenessScope.WORKFLOW))
                .isInstanceOf(CreateResult.Conflict.class);
        }
    }

    @Test
    void unknownDatabasesAreRejectedNamingTheSupportedOnes() {
        assertThat(JdbcDialect.fromProductName("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(JdbcDialect.fromProductName("H2")).isEqualTo(JdbcDialect.H2);
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcDialect.fromProductName("MySQL"))
            .withMessageContaining("MySQL")
            .withMessageContaining("PostgreSQL and H2");
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcDialect.fromPlatform("oracle"))
            .withMessageContaining("postgresql, h2");
    }

    @Test
    void uniquenessKeysOfDifferentScopesAndNamesNeverCollide() {
        var plain = Instances.pending("run-1", "b", "a:1", 1);
        var shifted = Instances.pending("run-2", "1:b", "a", 1);

        assertThat(JdbcStorage.uniquenessKey(plain, UniquenessScope.WORKFLOW))
            .isNotEqualTo(JdbcStorage.uniquenessKey(shifted, UniquenessScope.WORKFLOW));
        assertThat(JdbcStorage.uniquenessKey(plain, UniquenessScope.GLOBAL)).isEqualTo("g:b");
        assertThat(JdbcStorage.uniquenessKey(plain, UniquenessScope.VERSION)).isEqualTo("v:3:a:1:1:b");
        assertThat(JdbcStorage.lockKey("t", "order::1")).isNotEqualTo(JdbcStorage.lockKey("t", "order::2"))
            .isEqualTo(JdbcStorage.lockKey("t", "order::1"));
    }
}
