package io.hephaestus.jdbc.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * {@link TestDatabases} gives the tests of hephaestus-jdbc and of the modules that test against its
 * storage (through this module's test jar) pooled data sources on the PostgreSQL server of the
 * machine or on an in-memory H2 database, fresh table names, and a few SQL helpers.
 */
public final class TestDatabases {

    /** The PostgreSQL URL, from {@code HEPHAESTUS_TEST_JDBC_URL} or the development default. */
    public static final String POSTGRESQL_URL = env("HEPHAESTUS_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    /** The PostgreSQL user, from {@code HEPHAESTUS_TEST_JDBC_USER} or {@code postgres}. */
    public static final String POSTGRESQL_USER = env("HEPHAESTUS_TEST_JDBC_USER", "postgres");

    /** The PostgreSQL password, from {@code HEPHAESTUS_TEST_JDBC_PASSWORD} or none. */
    public static final String POSTGRESQL_PASSWORD = env("HEPHAESTUS_TEST_JDBC_PASSWORD", "");

    private TestDatabases() {
    }

    /**
     * Return a pool of 10 connections on the test PostgreSQL database.
     */
    public static HikariDataSource postgresql() {
        return postgresql("postgresql-test", 10);
    }

    /**
     * Return a pool of {@code size} connections on the test PostgreSQL database.
     */
    public static HikariDataSource postgresql(String poolName, int size) {
        return postgresql(POSTGRESQL_URL, POSTGRESQL_USER, POSTGRESQL_PASSWORD, poolName, size);
    }

    public static HikariDataSource postgresql(String url, String user, String password, String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName(poolName);
        return new HikariDataSource(config);
    }

    /**
     * Return a pool on a new, private in-memory H2 database.
     */
    public static HikariDataSource h2() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:hephaestus-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(20);
        config.setPoolName("h2-test");
        return new HikariDataSource(config);
    }

    /**
     * Return a table name (or prefix) no other test uses.
     */
    public static String uniqueTableName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    /**
     * Drop a table if it exists.
     */
    public static void drop(DataSource dataSource, String table) {
        execute(dataSource, "DROP TABLE IF EXISTS " + table);
    }

    /**
     * Run one statement.
     */
    public static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("could not run " + sql + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Return the rows of a query of (key, count) pairs as a map.
     */
    public static Map<String, Long> countBy(DataSource dataSource, String sql) {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("could not run " + sql + ": " + ex.getMessage(), ex);
        }
        return counts;
    }

    /**
     * Return the single number a query returns.
     */
    public static long count(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
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
