package io.hephaestus.spring.boot.autoconfigure;

import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

import io.hephaestus.jdbc.JdbcDialect;
import io.hephaestus.jdbc.JdbcSchema;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.spring.boot.autoconfigure.HephaestusProperties.SchemaInitialization;

/**
 * {@link DataSourceScriptDatabaseInitializer} that creates the table of a {@link JdbcStorage} from
 * the schema script of its database in {@code hephaestus-jdbc}
 * ({@code io/hephaestus/jdbc/schema-postgresql.sql} or {@code io/hephaestus/jdbc/schema-h2.sql}),
 * as Spring Batch and Spring Session do for their tables. Being a Spring Boot database
 * initializer, it runs after Flyway and Liquibase, and before every bean that depends on database
 * initialization, such as the Hephaestus runner.
 *
 * <p>Whether it runs follows {@code hephaestus.jdbc.initialize-schema}: {@code embedded} (the
 * default) only for an embedded in-memory database such as {@code jdbc:h2:mem:} (an H2 file
 * database is not embedded in Spring Boot's sense), {@code always}, or {@code never}. The script is
 * idempotent, so running it at every start is safe.
 *
 * @since 0.1.0
 */
public final class HephaestusDataSourceScriptDatabaseInitializer extends DataSourceScriptDatabaseInitializer {

    private final JdbcDialect dialect;

    private final String tableName;

    /**
     * Create an initializer for the table of a storage.
     * @param dataSource the database of the storage
     * @param storage the storage, which knows its dialect and table
     * @param mode when to create the table
     */
    public HephaestusDataSourceScriptDatabaseInitializer(DataSource dataSource, JdbcStorage storage,
            SchemaInitialization mode) {
        super(dataSource, settings(storage.dialect(), mode));
        this.dialect = storage.dialect();
        this.tableName = storage.tableName();
    }

    /**
     * Return the settings of the initializer: the schema script of the dialect and the mode.
     * @param dialect the dialect of the database
     * @param mode when to create the table
     * @return the settings
     */
    public static DatabaseInitializationSettings settings(JdbcDialect dialect, SchemaInitialization mode) {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(mode, "mode");
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(List.of(JdbcSchema.location(dialect)));
        settings.setMode(DatabaseInitializationMode.valueOf(mode.name()));
        return settings;
    }

    /**
     * Apply the script with {@link JdbcSchema#apply(DataSource, JdbcDialect, String)} rather than
     * statement by statement: it renames the table when {@code hephaestus.jdbc.table-name} is set,
     * runs in one transaction, and on PostgreSQL takes an advisory lock, so that nodes starting
     * together do not race to create the same indexes.
     */
    @Override
    protected void runScripts(Scripts scripts) {
        JdbcSchema.apply(getDataSource(), this.dialect, this.tableName);
    }
}
