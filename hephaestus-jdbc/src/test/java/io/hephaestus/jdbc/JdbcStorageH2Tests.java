package io.hephaestus.jdbc;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.runtime.StorageException;
import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JdbcStorage} on an in-memory H2 database: the storage contract and the JDBC
 * specifics.
 */
class JdbcStorageH2Tests extends JdbcStorageContract {

    private static final String TABLE = "hephaestus_instance";

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createDatabase() {
        dataSource = TestDatabases.h2();
        JdbcSchema.apply(dataSource);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }

    @Override
    protected String table() {
        return TABLE;
    }

    @Test
    void dialectIsDetectedAsH2() {
        assertThat(JdbcStorage.builder(dataSource).build().dialect()).isEqualTo(JdbcDialect.H2);
    }

    @Test
    void aMissingTableInAnEmptyDatabaseIsNamedWithTheScriptThatCreatesIt() {
        try (HikariDataSource empty = TestDatabases.h2()) {
            JdbcStorage storage = JdbcStorage.builder(empty).build();

            assertThatExceptionOfType(StorageException.class).isThrownBy(() -> storage.get("run-1"))
                .withMessageContaining(TABLE + " does not exist")
                .withMessageContaining(JdbcDialect.H2.schemaResource());
        }
    }
}
