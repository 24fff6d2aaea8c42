package io.hephaestus.spring.boot.autoconfigure;

import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

import io.hephaestus.cluster.ClusterSchema;
import io.hephaestus.spring.boot.autoconfigure.HephaestusProperties.SchemaInitialization;

/**
 * {@link DataSourceScriptDatabaseInitializer} that creates db-scheduler's table for the cluster
 * runner from the scripts shipped in {@code hephaestus-cluster}, when the runner creates its own
 * db-scheduler scheduler. It follows {@code hephaestus.jdbc.initialize-schema} like the JDBC
 * storage's table ({@code embedded} by default: only for an in-memory database), runs after Flyway
 * and Liquibase and before the runner.
 *
 * @since 0.1.0
 */
public final class HephaestusClusterSchemaDatabaseInitializer extends DataSourceScriptDatabaseInitializer {

    private final String tableName;

    /**
     * Create an initializer for db-scheduler's table.
     * @param dataSource the database
     * @param platform the database's platform, which picks the script
     * @param tableName db-scheduler's table
     * @param mode when to create the table
     */
    public HephaestusClusterSchemaDatabaseInitializer(DataSource dataSource, ClusterSchema.Platform platform,
            String tableName, SchemaInitialization mode) {
        super(dataSource, settings(platform, mode));
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /**
     * Return the settings of the initializer: the platform's script and the mode.
     * @param platform the database's platform
     * @param mode when to create the table
     * @return the settings
     */
    public static DatabaseInitializationSettings settings(ClusterSchema.Platform platform, SchemaInitialization mode) {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(mode, "mode");
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(List.of("classpath:" + platform.resource()));
        settings.setMode(DatabaseInitializationMode.valueOf(mode.name()));
        return settings;
    }

    /**
     * Apply the script with {@link ClusterSchema#apply(DataSource, String)}: it renames the table,
     * runs in one transaction and, on PostgreSQL, under an advisory lock, so nodes starting together
     * do not race.
     */
    @Override
    protected void runScripts(Scripts scripts) {
        ClusterSchema.apply(getDataSource(), this.tableName);
    }
}
