package io.hephaestus.jdbc;

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
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JdbcSchema} creates the table of {@link JdbcStorage} from the versioned scripts in this
 * jar, for applications without Spring Boot's database initialization, and for tests.
 *
 * <p>The scripts are {@code io/hephaestus/jdbc/schema-postgresql.sql} and
 * {@code io/hephaestus/jdbc/schema-h2.sql} ({@link #SCHEMA_LOCATION} with the platform filled in,
 * Spring Batch's convention). They are idempotent ({@code IF NOT EXISTS} everywhere), so applying
 * them at every start is safe; on PostgreSQL {@link #apply} runs them in one transaction under an
 * advisory lock, so nodes starting together do not race. To manage the schema with Flyway or
 * Liquibase instead, copy the script of your database into a migration (with
 * {@link #script(JdbcDialect, String)} for another table name).
 *
 * @since 0.1.0
 */
public final class JdbcSchema {

    /** The table name of the scripts and the default of {@link JdbcStorage}. */
    public static final String DEFAULT_TABLE_NAME = "hephaestus_instance";

    /**
     * The location of the schema scripts with Spring Boot's platform placeholder, for
     * {@code DatabaseInitializationSettings#setSchemaLocations}.
     */
    public static final String SCHEMA_LOCATION = "classpath:io/hephaestus/jdbc/schema-@@platform@@.sql";

    /** The version of the schema the scripts create, which this version of the storage needs. */
    public static final int VERSION = 1;

    private static final Logger logger = LoggerFactory.getLogger(JdbcSchema.class);

    private static final Pattern TABLE_NAME = Pattern.compile("(?:([a-z_][a-z0-9_]{0,39})\\.)?([a-z_][a-z0-9_]{0,39})");

    private static final Pattern DERIVED_NAME = Pattern.compile("\\b" + DEFAULT_TABLE_NAME + "(_\\w+)\\b");

    private static final Pattern TABLE_REFERENCE = Pattern.compile("\\b" + DEFAULT_TABLE_NAME + "\\b");

    private JdbcSchema() {
    }

    /**
     * Return the class path location of a dialect's script, as Spring resources name it.
     * @param dialect the dialect
     * @return such as {@code classpath:io/hephaestus/jdbc/schema-postgresql.sql}
     */
    public static String location(JdbcDialect dialect) {
        return "classpath:" + dialect.schemaResource();
    }

    /**
     * Return the schema script of a dialect, for the default table name.
     * @param dialect the dialect
     * @return the SQL text
     */
    public static String script(JdbcDialect dialect) {
        return script(dialect, DEFAULT_TABLE_NAME);
    }

    /**
     * Return the schema script of a dialect for another table name: the table, its constraints and
     * its indexes are renamed (indexes and constraints take the table's name without its schema).
     * @param dialect the dialect
     * @param tableName the table, lower case, optionally qualified by a schema: {@code [schema.]table}
     * @return the SQL text
     * @throws IllegalArgumentException if the table name is not valid
     */
    public static String script(JdbcDialect dialect, String tableName) {
        Objects.requireNonNull(dialect, "dialect");
        Matcher name = tableNameMatcher(tableName);
        String script = read(dialect.schemaResource());
        if (tableName.equals(DEFAULT_TABLE_NAME)) {
            return script;
        }
        String derived = DERIVED_NAME.matcher(script).replaceAll(Matcher.quoteReplacement(name.group(2)) + "$1");
        return TABLE_REFERENCE.matcher(derived).replaceAll(Matcher.quoteReplacement(tableName));
    }

    /**
     * Create the table with the default name and its indexes unless they exist, in the database
     * of {@code dataSource} (PostgreSQL or H2, detected).
     * @param dataSource the database
     * @throws io.hephaestus.core.runtime.StorageException if the database fails or cannot be reached
     */
    public static void apply(DataSource dataSource) {
        apply(dataSource, DEFAULT_TABLE_NAME);
    }

    /**
     * Create a table and its indexes unless they exist, in the database of {@code dataSource}
     * (PostgreSQL or H2, detected).
     * @param dataSource the database
     * @param tableName the table, as for {@link #script(JdbcDialect, String)}
     * @throws IllegalArgumentException if the table name is not valid or the database is not supported
     * @throws io.hephaestus.core.runtime.StorageException if the database fails or cannot be reached
     */
    public static void apply(DataSource dataSource, String tableName) {
        Objects.requireNonNull(dataSource, "dataSource");
        requireValidTableName(tableName);
        apply(dataSource, JdbcStorage.detect(dataSource).dialect(), tableName);
    }

    /**
     * Create a table and its indexes unless they exist, with a given dialect's script.
     * @param dataSource the database
     * @param dialect the dialect of the database
     * @param tableName the table, as for {@link #script(JdbcDialect, String)}
     * @throws IllegalArgumentException if the table name is not valid
     * @throws io.hephaestus.core.runtime.StorageException if the database fails or cannot be reached
     */
    public static void apply(DataSource dataSource, JdbcDialect dialect, String tableName) {
        Objects.requireNonNull(dataSource, "dataSource");
        List<String> statements = statements(script(dialect, tableName));
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (dialect == JdbcDialect.POSTGRESQL) {
                    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, JdbcStorage.lockKey("schema", tableName));
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
            throw JdbcErrors.translate("applying schema " + dialect.schemaResource() + " for table " + tableName,
                    ex);
        }
        logger.debug("Applied the Hephaestus JDBC schema {} (version {}) for table {}", dialect.schemaResource(),
                VERSION, tableName);
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

    /**
     * Return the table name if it is valid: lower-case letters, digits and underscores, at most 40
     * of them, starting with a letter or underscore, optionally after a schema of the same form.
     * @param tableName the name
     * @return the name
     * @throws IllegalArgumentException describing the valid names
     */
    static String requireValidTableName(String tableName) {
        tableNameMatcher(tableName);
        return tableName;
    }

    private static Matcher tableNameMatcher(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        Matcher matcher = TABLE_NAME.matcher(tableName);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid table name '" + tableName + "': use [schema.]table, each "
                    + "part 1 to 40 lower-case letters, digits or underscores, not starting with a digit");
        }
        return matcher;
    }

    private static String read(String resource) {
        try (InputStream in = JdbcSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema script " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read schema script " + resource, ex);
        }
    }
}
