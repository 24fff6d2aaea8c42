package io.hephaestus.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.runtime.StorageException;

/**
 * {@link ClusterSchema} creates db-scheduler's table, on which the {@link ClusterRunner} schedules
 * its steps and timers, from the scripts shipped in this jar: for applications that do not manage
 * db-scheduler's schema themselves, and for tests.
 *
 * <p>The scripts are {@code io/hephaestus/cluster/db-scheduler-postgresql.sql} and
 * {@code io/hephaestus/cluster/db-scheduler-h2.sql} ({@link #SCHEMA_LOCATION} with the platform
 * filled in). The PostgreSQL one is db-scheduler's published schema for version 16; the H2 one is
 * the same table in H2's types. Both are idempotent ({@code IF NOT EXISTS}), so applying them at
 * every start is safe; on PostgreSQL {@link #apply} runs them in one transaction under an advisory
 * lock, so nodes starting together do not race. An application that already has the table (for
 * example through the db-scheduler Spring Boot starter and Flyway) does not need this class.
 *
 * @since 0.1.0
 */
public final class ClusterSchema {

    /** db-scheduler's default table name, which the scripts create. */
    public static final String DEFAULT_TABLE_NAME = "scheduled_tasks";

    /**
     * The location of the scripts with Spring Boot's platform placeholder, for
     * {@code DatabaseInitializationSettings#setSchemaLocations}.
     */
    public static final String SCHEMA_LOCATION = "classpath:io/hephaestus/cluster/db-scheduler-@@platform@@.sql";

    private static final Logger logger = LoggerFactory.getLogger(ClusterSchema.class);

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    private static final Pattern TABLE_REFERENCE = Pattern.compile("\\b" + DEFAULT_TABLE_NAME);

    private ClusterSchema() {
    }

    /**
     * The databases the scripts are written for.
     */
    public enum Platform {

        /** PostgreSQL, the database for several nodes. */
        POSTGRESQL,

        /** H2, for tests and development on one machine. */
        H2;

        /**
         * Return the platform name used in script names, such as {@code postgresql}.
         * @return the name
         */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Return the class path resource of this platform's script.
         * @return such as {@code io/hephaestus/cluster/db-scheduler-postgresql.sql}
         */
        public String resource() {
            return "io/hephaestus/cluster/db-scheduler-" + value() + ".sql";
        }

        /**
         * Return the platform of a database.
         * @param dataSource the database
         * @return its platform
         * @throws IllegalArgumentException if the database is neither PostgreSQL nor H2
         * @throws StorageException if the database cannot be reached
         */
        public static Platform of(DataSource dataSource) {
            Objects.requireNonNull(dataSource, "dataSource");
            String product;
            try (Connection connection = dataSource.getConnection()) {
                product = connection.getMetaData().getDatabaseProductName();
            }
            catch (SQLException ex) {
                throw new StorageException("cannot detect the database of the cluster runner: " + ex.getMessage(), ex);
            }
            if ("PostgreSQL".equals(product)) {
                return POSTGRESQL;
            }
            if ("H2".equals(product)) {
                return H2;
            }
            throw new IllegalArgumentException("the cluster runner ships db-scheduler's schema for PostgreSQL and H2,"
                    + " not for " + product + "; create db-scheduler's table with db-scheduler's own script for it");
        }
    }

    /**
     * Return a platform's script for db-scheduler's default table name.
     * @param platform the database platform
     * @return the SQL text
     */
    public static String script(Platform platform) {
        return script(platform, DEFAULT_TABLE_NAME);
    }

    /**
     * Return a platform's script for another table name; its indexes are renamed with it.
     * @param platform the database platform
     * @param tableName the table: 1 to 40 lower-case letters, digits or underscores, not starting with a digit
     * @return the SQL text
     * @throws IllegalArgumentException if the table name is not valid
     */
    public static String script(Platform platform, String tableName) {
        Objects.requireNonNull(platform, "platform");
        requireValidTableName(tableName);
        String script = read(platform.resource());
        return TABLE_REFERENCE.matcher(script).replaceAll(Matcher.quoteReplacement(tableName));
    }

    /**
     * Create db-scheduler's table with its default name, unless it exists, in a PostgreSQL or H2
     * database (detected).
     * @param dataSource the database
     * @throws StorageException if the database fails or cannot be reached
     */
    public static void apply(DataSource dataSource) {
        apply(dataSource, DEFAULT_TABLE_NAME);
    }

    /**
     * Create a db-scheduler table with the given name, unless it exists, in a PostgreSQL or H2
     * database (detected).
     * @param dataSource the database
     * @param tableName the table, as for {@link #script(Platform, String)}
     * @throws IllegalArgumentException if the table name is not valid or the database is not supported
     * @throws StorageException if the database fails or cannot be reached
     */
    public static void apply(DataSource dataSource, String tableName) {
        requireValidTableName(tableName);
        Platform platform = Platform.of(dataSource);
        List<String> statements = statements(script(platform, tableName));
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (platform == Platform.POSTGRESQL) {
                    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, ("hephaestus-cluster-schema:" + tableName).hashCode());
                        lock.execute();
                    }
                }
                try (Statement statement = connection.createStatement()) {
                    for (String sql : statements) {
                        statement.execute(sql);
                    }
                }
                connection.commit();
            }
            catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            }
            finally {
                connection.setAutoCommit(autoCommit);
            }
        }
        catch (SQLException ex) {
            throw new StorageException("could not apply db-scheduler's schema " + platform.resource() + " for table "
                    + tableName + ": " + ex.getMessage(), ex);
        }
        logger.debug("Applied db-scheduler's schema {} for table {}", platform.resource(), tableName);
    }

    /**
     * Return the table name if it is valid.
     * @throws IllegalArgumentException describing the valid names
     */
    static String requireValidTableName(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        if (!TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("invalid db-scheduler table name '" + tableName + "': use 1 to 40 "
                    + "lower-case letters, digits or underscores, not starting with a digit (no schema prefix)");
        }
        return tableName;
    }

    /**
     * Return the statements of a script: split at semicolons that end a line, without comments.
     */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String read(String resource) {
        try (InputStream in = ClusterSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("db-scheduler schema script " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read db-scheduler schema script " + resource, ex);
        }
    }
}
