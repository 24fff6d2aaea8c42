package io.hephaestus.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * {@link TestDatabases} gives tests a pooled data source on an in-memory H2 database or on the
 * PostgreSQL server of the machine, and fresh table names.
 */
final class TestDatabases {

    /** The PostgreSQL URL, from {@code HEPHAESTUS_TEST_JDBC_URL} or the development default. */
    static final String POSTGRESQL_URL = env("HEPHAESTUS_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    /** The PostgreSQL user, from {@code HEPHAESTUS_TEST_JDBC_USER} or {@code postgres}. */
    static final String POSTGRESQL_USER = env("HEPHAESTUS_TEST_JDBC_USER", "postgres");

    /** The PostgreSQL password, from {@code HEPHAESTUS_TEST_JDBC_PASSWORD} or none. */
    static final String POSTGRESQL_PASSWORD = env("HEPHAESTUS_TEST_JDBC_PASSWORD", "");

    private TestDatabases() {
    }

    /**
     * Return a pool on a new, private in-memory H2 database.
     */
    static HikariDataSource h2() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:hephaestus-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(10);
        config.setPoolName("h2-test");
        return new HikariDataSource(config);
    }

    /**
     * Return a pool on the test PostgreSQL database.
     */
    static HikariDataSource postgresql() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(POSTGRESQL_URL);
        config.setUsername(POSTGRESQL_USER);
        config.setPassword(POSTGRESQL_PASSWORD);
        config.setMaximumPoolSize(10);
        config.setPoolName("postgresql-test");
        return new HikariDataSource(config);
    }

    /**
     * Return a table name no other test uses.
     */
    static String uniqueTableName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    /**
     * Drop a table if it exists.
     */
    static void drop(DataSource dataSource, String table) {
        execute(dataSource, "DROP TABLE IF EXISTS " + table);
    }

    /**
     * Run one statement.
     */
    static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("could not run " + sql + ": " + ex.getMessage(), ex);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return (value == null || value.isBlank()) ? fallback : value;
    }
}
