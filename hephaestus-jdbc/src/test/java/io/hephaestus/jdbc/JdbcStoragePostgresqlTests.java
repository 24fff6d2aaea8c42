package io.hephaestus.jdbc;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.jdbc.testing.RequiresPostgresql;
import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcStorage} on PostgreSQL: the storage contract and the JDBC specifics, on a
 * table of its own that is dropped afterwards.
 */
@RequiresPostgresql
class JdbcStoragePostgresqlTests extends JdbcStorageContract {

    private static final String TABLE = TestDatabases.uniqueTableName("hephaestus_test");

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createTable() {
        dataSource = TestDatabases.postgresql();
        JdbcSchema.apply(dataSource, TABLE);
    }

    @AfterAll
    static void dropTable() {
        if (dataSource != null) {
            TestDatabases.drop(dataSource, TABLE);
            dataSource.close();
        }
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
    void dialectIsDetectedAsPostgresql() {
        assertThat(JdbcStorage.builder(dataSource).tableName(TABLE).build().dialect())
            .isEqualTo(JdbcDialect.POSTGRESQL);
    }
}
